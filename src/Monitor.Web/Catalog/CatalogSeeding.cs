using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Web.Alerts;
using Monitor.Web.Audit;
using Monitor.Web.Data;

namespace Monitor.Web.Catalog;

/// <summary>
/// Loads the reference scenario's sites, indicators and alert rules into an empty catalog (so loading it again
/// changes nothing), then loads the catalog into memory.
/// </summary>
public sealed partial class CatalogSeeding(
    IDbContextFactory<MonitorDbContext> dbFactory,
    CatalogService catalog,
    AuditLog audit,
    AppPaths paths,
    IOptions<MonitorOptions> options,
    ILogger<CatalogSeeding> logger)
{
    public async Task SeedAndLoadAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (options.Value.SeedScenario && !await db.Sites.AnyAsync(cancellationToken))
            {
                await SeedAsync(db, cancellationToken);
            }
        }
        await catalog.ReloadAsync(cancellationToken);
    }

    private async Task SeedAsync(MonitorDbContext db, CancellationToken cancellationToken)
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

    [LoggerMessage(LogLevel.Information, "Loaded the reference scenario catalog: {Sites} sites, {Indicators} indicators from {Directory}.")]
    private partial void LogCatalogSeeded(int sites, int indicators, string directory);
}
