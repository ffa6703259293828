using Monitor.Web.Catalog;
using Monitor.Web.Dashboards;
using Monitor.Web.Data;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Kobo;

namespace Monitor.Web;

/// <summary>
/// Runs once before the app serves requests, in this order because each step reads what the one before it wrote:
/// the database schema, the catalog, the observations, then the dashboards and KoboToolbox form mappings that name
/// the catalog's sites and indicators. A failing step stops the app from starting.
/// </summary>
public sealed class StartupSequence(
    DatabaseMigration database,
    CatalogSeeding catalogSeeding,
    ObservationSeeding observationSeeding,
    CatalogService catalog,
    DashboardCatalog dashboards,
    KoboMappings koboMappings,
    AppPaths paths) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await catalogSeeding.SeedAndLoadAsync(cancellationToken);
        await observationSeeding.InitializeAndSeedAsync(cancellationToken);
        dashboards.Load(paths.DashboardsDirectory, catalog.Current);
        koboMappings.Load(paths.KoboMappingsDirectory, catalog.Current);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StartupSequenceServiceCollectionExtensions
{
    /// <summary>Register it after the services its steps use start (the outbox drain) and before those that read what it loads.</summary>
    public static IServiceCollection AddStartupSequence(this IServiceCollection services) => services.AddHostedService<StartupSequence>();
}
