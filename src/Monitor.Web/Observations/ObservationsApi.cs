using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;

namespace Monitor.Web.Observations;

/// <summary>Write observations in batches and read one series, downsampled on the server.</summary>
public static class ObservationsApi
{
    public const long MaxBodyBytes = 8 * 1024 * 1024;
    public const int DefaultMaxPoints = 1_000;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapObservationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observations").WithTags("Observations");
        api.MapGet("/", GetSeries).RequireAuthorization(Policies.Viewer);
        api.MapPost("/", PostBatch).RequireAuthorization(Policies.Reporter)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .RequireRateLimiting(RateLimitPolicies.Observations);
        return app;
    }

    public static async Task<Results<Ok<SeriesResponse>, ValidationProblem, ProblemHttpResult>> GetSeries(
        string? siteId, string? indicatorId, string? from, string? to, string? maxPoints,
        CatalogService catalog, IObservationReader observations, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(siteId)) errors["siteId"] = ["siteId is required."];
        if (string.IsNullOrEmpty(indicatorId)) errors["indicatorId"] = ["indicatorId is required."];
        var toTime = QueryValues.ParseTime(to, "to", errors) ?? time.GetUtcNow();
        var fromTime = QueryValues.ParseTime(from, "from", errors) ?? StorableTime.Before(toTime, DefaultRange);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && fromTime > toTime) errors["from"] = ["from must not be after to."];
        // Nothing lies outside what a store can hold, so a wider range ("everything": 0001 to 9999) asks for all of it.
        (fromTime, toTime) = (StorableTime.Clamp(fromTime), StorableTime.Clamp(toTime));

        var points = DefaultMaxPoints;
        if (maxPoints is not null && (!int.TryParse(maxPoints, NumberStyles.None, CultureInfo.InvariantCulture, out points)
                                      || points is < 1 or > Downsampling.MaxPointsLimit))
        {
            errors["maxPoints"] = [$"maxPoints must be a whole number from 1 to {Downsampling.MaxPointsLimit:N0}."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var snapshot = catalog.Current;
        if (snapshot.FindSite(siteId!) is not { } site) return CatalogApi.UnknownSite(siteId!);
        if (snapshot.FindIndicator(indicatorId!) is not { } indicator) return CatalogApi.UnknownIndicator(indicatorId!);
        if (!indicator.AppliesTo(site))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["indicatorId"] = [$"Indicator '{indicator.Id}' does not apply to {site.Kind} sites such as '{site.Id}'."],
            });

        var query = new SeriesQuery(site.Id, indicator.Id, fromTime, toTime, points);
        var series = await observations.QueryAsync(query, indicator.Kind, cancellationToken);
        return TypedResults.Ok(new SeriesResponse(site.Id, indicator.Id, fromTime, toTime, series));
    }

    public static async Task<Results<Accepted<AcceptedResponse>, ProblemHttpResult>> PostBatch(
        HttpRequest request, ObservationIngest ingest, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        // Most batches are valid: they are checked as they are read, with no object per posted item. Any other body is
        // read whole and validated as before, which names every error.
        IReadOnlyList<Observation>? checkedBatch = null;
        var (batch, problem) = await JsonBody.ReadAsync(request, json.Value.SerializerOptions, MaxBodyBytes, "a JSON array of observation objects",
            (ReadOnlySpan<byte> body, JsonSerializerOptions options, out List<ObservationInput?>? items) =>
            {
                items = null;
                var check = ingest.BeginCheck(ObservationBatchJson.ItemsIn(body));
                if (ObservationBatchJson.TryCheck(body, options, check)) checkedBatch = check.Observations;
                return checkedBatch is not null || ObservationBatchJson.TryRead(body, options, out items);
            },
            cancellationToken);
        if (problem is not null) return problem;

        var submitter = Submitter.Of(request.HttpContext, "api");
        var submission = checkedBatch is not null
            ? await ingest.SubmitCheckedAsync(checkedBatch, submitter, cancellationToken)
            : await ingest.SubmitAsync(batch, submitter, cancellationToken);
        return submission.Status switch
        {
            SubmissionStatus.Invalid => JsonBody.Problem(StatusCodes.Status400BadRequest, "The batch was refused; nothing was stored.", submission.Errors),
            SubmissionStatus.Conflict => JsonBody.Problem(StatusCodes.Status409Conflict,
                "The batch would overwrite recorded readings; nothing was stored. Correct a reading instead.", submission.Errors),
            _ => TypedResults.Accepted((string?)null, AcceptedResponse.From(submission)),
        };
    }
}

public sealed record SeriesResponse(string SiteId, string IndicatorId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SeriesPoint> Points);

/// <summary>
/// What was accepted: every item of the batch, of which <c>unchanged</c> were already recorded identically; the batch id
/// the audit trail records it under and its ingest sequence (both absent when nothing new was recorded).
/// </summary>
public sealed record AcceptedResponse(int Accepted, int Unchanged = 0, Guid? BatchId = null, long? Sequence = null)
{
    public static AcceptedResponse From(Submission submission) =>
        new(submission.Accepted, submission.Unchanged, submission.BatchId, submission.Sequence);
}
