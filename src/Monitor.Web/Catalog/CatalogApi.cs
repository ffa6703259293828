using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;

namespace Monitor.Web.Catalog;

/// <summary>Read API over the catalog: sites, indicators and the latest reading of each indicator at a site.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Viewer).WithTags("Catalog");
        api.MapGet("/sites", GetSites);
        api.MapGet("/sites/{id}", GetSite);
        api.MapGet("/sites/{id}/latest", GetLatest);
        api.MapGet("/indicators", GetIndicators);
        return app;
    }

    public static Ok<IReadOnlyList<Site>> GetSites(CatalogService catalog) => TypedResults.Ok(catalog.Current.Sites);

    public static Results<Ok<Site>, ProblemHttpResult> GetSite(string id, CatalogService catalog) =>
        catalog.Current.FindSite(id) is { } site ? TypedResults.Ok(site) : UnknownSite(id);

    public static Ok<IReadOnlyList<IndicatorDefinition>> GetIndicators(CatalogService catalog) => TypedResults.Ok(catalog.Current.Indicators);

    public static async Task<Results<Ok<LatestReading[]>, ProblemHttpResult>> GetLatest(
        string id, CatalogService catalog, IObservationReader observations, TimeProvider time, CancellationToken cancellationToken)
    {
        var snapshot = catalog.Current;
        if (snapshot.FindSite(id) is null) return UnknownSite(id);

        var now = time.GetUtcNow();
        var latest = await observations.LatestAsync(id, cancellationToken);
        return TypedResults.Ok(latest
            .Where(o => snapshot.FindIndicator(o.IndicatorId) is not null)
            .Select(o => LatestReading.From(o, snapshot.IndicatorsById[o.IndicatorId], now))
            .ToArray());
    }

    internal static ProblemHttpResult UnknownSite(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown site", detail: $"There is no site with id '{id}'.");

    internal static ProblemHttpResult UnknownIndicator(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown indicator", detail: $"There is no indicator with id '{id}'.");
}

/// <summary>The latest reading of one indicator at one site, with how fresh it is now.</summary>
public sealed record LatestReading(
    string SiteId,
    string IndicatorId,
    DateTimeOffset Timestamp,
    double? Value,
    string? State,
    string? Source,
    string? Note,
    Freshness Freshness)
{
    public static LatestReading From(Observation o, IndicatorDefinition indicator, DateTimeOffset now) =>
        new(o.SiteId, o.IndicatorId, o.Timestamp, o.Value, o.State, o.Source, o.Note,
            FreshnessRules.Classify(o.Timestamp, now, indicator.Cadence));
}
