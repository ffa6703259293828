using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
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
        CatalogService catalog, IObservationStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(siteId)) errors["siteId"] = ["siteId is required."];
        if (string.IsNullOrEmpty(indicatorId)) errors["indicatorId"] = ["indicatorId is required."];
        var toTime = QueryValues.ParseTime(to, "to", errors) ?? time.GetUtcNow();
        var fromTime = QueryValues.ParseTime(from, "from", errors) ?? toTime - DefaultRange;
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && fromTime > toTime) errors["from"] = ["from must not be after to."];

        var points = DefaultMaxPoints;
        if (maxPoints is not null && (!int.TryParse(maxPoints, NumberStyles.None, CultureInfo.InvariantCulture, out points)
                                      || points is < 1 or > Downsampling.MaxPointsLimit))
        {
            errors["maxPoints"] = [$"maxPoints must be a whole number from 1 to {Downsampling.MaxPointsLimit:N0}."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var snapshot = catalog.Current;
        if (snapshot.FindSite(siteId!) is not { } site) return CatalogApi.UnknownSite(siteId!);
        if (snapshot.FindIndicator(indicatorId!) is not { } indicator)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown indicator",
                detail: $"There is no indicator with id '{indicatorId}'.");
        if (!indicator.AppliesTo(site))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["indicatorId"] = [$"Indicator '{indicator.Id}' does not apply to {site.Kind} sites such as '{site.Id}'."],
            });

        var query = new SeriesQuery(site.Id, indicator.Id, fromTime, toTime, points);
        var series = await store.QueryAsync(query, indicator.Kind, cancellationToken);
        return TypedResults.Ok(new SeriesResponse(site.Id, indicator.Id, fromTime, toTime, series));
    }

    public static async Task<Results<Accepted<AcceptedResponse>, ValidationProblem, ProblemHttpResult>> PostBatch(
        HttpRequest request, ObservationIngest ingest, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        List<ObservationInput?>? batch;
        try
        {
            batch = await JsonSerializer.DeserializeAsync<List<ObservationInput?>>(request.Body, json.Value.SerializerOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            var key = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$');
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [key] = [$"Not valid here (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): send a JSON array of observation objects with the documented field types."],
            });
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"A batch body may be at most {MaxBodyBytes / (1024 * 1024)} MB; split it into smaller batches.");
        }

        var submitter = new Submitter(request.HttpContext.User, "api", request.HttpContext.Connection.RemoteIpAddress?.ToString());
        var (outcome, batchId) = await ingest.SubmitAsync(batch, submitter, cancellationToken);
        if (!outcome.IsValid) return TypedResults.ValidationProblem(outcome.Errors, title: "The batch was refused; nothing was stored.");
        return TypedResults.Accepted((string?)null, new AcceptedResponse(outcome.Observations.Count, batchId));
    }
}

public sealed record SeriesResponse(string SiteId, string IndicatorId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SeriesPoint> Points);

/// <summary>How many observations were stored, and the batch id the audit trail records them under.</summary>
public sealed record AcceptedResponse(int Accepted, Guid? BatchId = null);
