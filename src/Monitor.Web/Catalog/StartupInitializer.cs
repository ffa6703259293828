using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Alerts;
using Monitor.Web.Audit;
using Monitor.Web.Dashboards;
using Monitor.Web.Data;
using Monitor.Web.Demo;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Kobo;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Catalog;

/// <summary>
/// Runs once before the app serves requests: creates the embedded database, loads the reference scenario into an
/// empty catalog and an empty observation store (so loading it again changes nothing) — on its real dates, or through the
/// demo feed when that is on — and provisions dashboards and KoboToolbox form mappings.
/// </summary>
public sealed partial class StartupInitializer(
    IDbContextFactory<MonitorDbContext> dbFactory,
    CatalogService catalog,
    IObservationReader observations,
    ObservationIngest ingest,
    DemoFeed demo,
    DashboardCatalog dashboards,
    KoboMappings koboMappings,
    AuditLog audit,
    AppPaths paths,
    IOptions<MonitorOptions> options,
    ILogger<StartupInitializer> logger) : IHostedService
{
    private const int SeedBatchSize = 5_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
            await AuditChain.SealExistingAsync(db, cancellationToken);
            // Write-ahead logging (kept in the file): readers never block the audit writes of busy ingest, and a commit
            // costs one sync instead of a rollback journal's several.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            if (options.Value.SeedScenario && !await db.Sites.AnyAsync(cancellationToken))
            {
                await SeedCatalogAsync(db, cancellationToken);
            }
        }
        await catalog.ReloadAsync(cancellationToken);

        try
        {
            await ingest.InitializeAsync(cancellationToken);
            if (options.Value.SeedScenario && await observations.ExtentAsync(cancellationToken) is null)
            {
                // The demo feed loads the scenario moved to now and streams its end; otherwise it keeps its real dates.
                if (demo.Enabled) await demo.LoadAsync(cancellationToken);
                else await SeedObservationsAsync(cancellationToken);
            }
        }
        catch (ObservationStoreUnavailableException ex)
        {
            // The app still serves the catalog and dashboards; /healthz reports the store as unreachable.
            LogStoreUnavailable(ex);
        }

        dashboards.Load(paths.DashboardsDirectory, catalog.Current);
        koboMappings.Load(paths.KoboMappingsDirectory, catalog.Current);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedCatalogAsync(MonitorDbContext db, CancellationToken cancellationToken)
    {
        var directory = paths.SeedDirectory;
        var sites = await ScenarioFiles.ReadSitesAsync(directory, cancellationToken);
        var indicators = await ScenarioFiles.ReadIndicatorsAsync(directory, cancellationToken);
        db.Sites.AddRange(sites.Select(CatalogService.ToRow));
        db.Indicators.AddRange(indicators.Select(i => CatalogService.ToRow(i with { States = i.States ?? [], SiteKinds = i.SiteKinds ?? [] })));
        var rules = await ScenarioFiles.ReadRulesAsync(directory, cancellationToken);
        var catalogSnapshot = new CatalogSnapshot(sites, indicators);
        foreach (var rule in rules)
        {
            if (RuleValidator.Validate(rule, catalogSnapshot) is { Count: > 0 } errors)
                throw new InvalidDataException($"rules.json: rule '{rule.Id}' is invalid ({errors.First().Key}: {errors.First().Value[0]}).");
        }
        db.AlertRules.AddRange(rules.Select(r => AlertRules.ToRow(r, AuditLog.System, DateTimeOffset.UtcNow)));
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditLog.System, AuditActions.CatalogChanged, "seed",
            $"loaded the reference scenario: {sites.Count} sites, {indicators.Count} indicators, {rules.Count} alert rules", null, cancellationToken);
        LogCatalogSeeded(sites.Count, indicators.Count, directory);
    }

    private async Task SeedObservationsAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var chunk in ScenarioFiles.ReadObservations(paths.SeedDirectory).Chunk(SeedBatchSize))
        {
            var outcome = await ingest.SubmitAsync(chunk, cancellationToken);
            if (outcome.Status != SubmissionStatus.Accepted)
            {
                var (key, messages) = outcome.Errors.First();
                throw new InvalidDataException($"The seed scenario has invalid observations (first: {key}: {messages[0]}).");
            }
            total += chunk.Length;
        }
        // One entry for the whole load, not one per chunk: it is one act of the system.
        await audit.RecordAsync(AuditLog.System, AuditActions.ObservationsSubmitted, Guid.NewGuid().ToString(),
            $"count={total}; channel=seed", null, cancellationToken);
        LogObservationsSeeded(total);
    }

    [LoggerMessage(LogLevel.Information, "Loaded the reference scenario catalog: {Sites} sites, {Indicators} indicators from {Directory}.")]
    private partial void LogCatalogSeeded(int sites, int indicators, string directory);

    [LoggerMessage(LogLevel.Information, "Loaded {Count} reference scenario observations.")]
    private partial void LogObservationsSeeded(int count);

    [LoggerMessage(LogLevel.Error, "The observation store is unreachable at start; dashboards will be empty until it answers.")]
    private partial void LogStoreUnavailable(Exception exception);
}
