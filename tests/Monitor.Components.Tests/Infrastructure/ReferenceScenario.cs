using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Catalog;
using Monitor.Web.Data;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Components.Tests.Infrastructure;

/// <summary>
/// The shipped reference scenario (seed-data: Iraq, June 2014) in place of the small test catalog: its sites,
/// indicators and rules, and its observations written through the app's own ingest path.
/// </summary>
public static class ReferenceScenario
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "seed-data");

    public static async Task<IReadOnlyList<AlertRule>> LoadAsync(IServiceProvider services)
    {
        var sites = await ScenarioFiles.ReadSitesAsync(Directory, CancellationToken.None);
        var indicators = await ScenarioFiles.ReadIndicatorsAsync(Directory, CancellationToken.None);
        var rules = await ScenarioFiles.ReadRulesAsync(Directory, CancellationToken.None);

        var factory = services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Sites.ExecuteDeleteAsync();
            await db.Indicators.ExecuteDeleteAsync();
            db.Sites.AddRange(sites.Select(CatalogService.ToRow));
            db.Indicators.AddRange(indicators.Select(CatalogService.ToRow));
            await db.SaveChangesAsync();
        }
        await services.GetRequiredService<CatalogService>().ReloadAsync();

        var store = services.GetRequiredService<AlertRules>();
        foreach (var rule in rules) await store.SaveAsync(rule, "seed", CancellationToken.None);

        var ingest = services.GetRequiredService<ObservationIngest>();
        foreach (var chunk in ScenarioFiles.ReadObservations(Directory).Chunk(5_000))
        {
            var outcome = await ingest.SubmitAsync(chunk, CancellationToken.None);
            Assert.True(outcome.Status == SubmissionStatus.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }
        return rules;
    }
}
