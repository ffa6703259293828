using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;

namespace Monitor.Web.Observations.Corrections;

/// <summary>Correct or void a recorded reading, and read every version of one.</summary>
public static class CorrectionsApi
{
    private const long MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observations").WithTags("Observations");
        api.MapPost("/corrections", PostCorrection).RequireAuthorization(Policies.Reporter).RequireRateLimiting(RateLimitPolicies.Observations);
        api.MapGet("/history", GetHistory).RequireAuthorization(Policies.Viewer);
        return app;
    }

    public static async Task<Results<Accepted<AcceptedResponse>, ProblemHttpResult>> PostCorrection(
        HttpRequest request, ObservationIngest ingest, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (input, problem) = await JsonBody.ReadAsync<CorrectionInput>(request, json.Value.SerializerOptions, MaxBodyBytes,
            "a JSON object {siteId, indicatorId, timestamp, value | state | void: true, reason}", cancellationToken);
        if (problem is not null) return problem;

        var submission = await ingest.CorrectAsync(input, Submitter.Of(request.HttpContext, "api"), cancellationToken);
        return submission.Status switch
        {
            SubmissionStatus.Invalid => JsonBody.Problem(StatusCodes.Status400BadRequest, "The correction was refused; nothing was changed.", submission.Errors),
            SubmissionStatus.NotFound => JsonBody.Problem(StatusCodes.Status404NotFound, "No such reading", submission.Errors),
            _ => TypedResults.Accepted((string?)null, AcceptedResponse.From(submission)),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<VersionResponse>>, ProblemHttpResult>> GetHistory(
        string? siteId, string? indicatorId, string? timestamp, CatalogService catalog, IObservationReader observations,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(siteId)) errors["siteId"] = ["siteId is required."];
        if (string.IsNullOrEmpty(indicatorId)) errors["indicatorId"] = ["indicatorId is required."];
        var at = QueryValues.ParseTime(timestamp, "timestamp", errors);
        if (at is null && !errors.ContainsKey("timestamp")) errors["timestamp"] = ["timestamp is required."];
        else if (at is { } instant && !StorableTime.Contains(instant)) errors["timestamp"] = [$"timestamp must lie {StorableTime.Describe()}."];
        if (errors.Count > 0) return JsonBody.Problem(StatusCodes.Status400BadRequest, "One or more query values are invalid.", errors);

        var snapshot = catalog.Current;
        if (snapshot.FindSite(siteId!) is null) return CatalogApi.UnknownSite(siteId!);
        if (snapshot.FindIndicator(indicatorId!) is null) return CatalogApi.UnknownIndicator(indicatorId!);

        var key = new ObservationKey(siteId!, indicatorId!, ObservationValidator.TruncateToMilliseconds(at!.Value));
        var versions = await observations.HistoryAsync(key, cancellationToken);
        if (versions.Count == 0)
            return JsonBody.Problem(StatusCodes.Status404NotFound, "No such reading",
                new Dictionary<string, string[]> { ["timestamp"] = ["Nothing was ever recorded for this site, indicator and time."] });
        return TypedResults.Ok<IReadOnlyList<VersionResponse>>(versions.Select(VersionResponse.From).ToArray());
    }
}

/// <summary>One version of a reading: what it said, who recorded it when, and why it changed.</summary>
public sealed record VersionResponse(
    double? Value,
    string? State,
    string? Source,
    string? Note,
    DateTimeOffset? RecordedAt,
    string? RecordedBy,
    string? Reason,
    bool Voided,
    long Sequence)
{
    public static VersionResponse From(ObservationVersion v) =>
        new(v.Reading.Value, v.Reading.State, v.Reading.Source, v.Reading.Note, v.RecordedAt, v.RecordedBy, v.Reason, v.Voided, v.Sequence);
}
