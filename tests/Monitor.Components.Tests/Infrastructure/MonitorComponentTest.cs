using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Monitor.Domain.Observations;
using Monitor.Web;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Dashboards;
using Monitor.Web.Data;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Embedded;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Live;
using Monitor.Web.Security;
using Bunit.TestDoubles;
using MudBlazor;
using MudBlazor.Services;

namespace Monitor.Components.Tests.Infrastructure;

/// <summary>
/// A bUnit context with MudBlazor set up once, and the app's real services behind the components: the catalog in a
/// temporary SQLite database, the embedded SQLite observation store, the in-process feed, the write path and the
/// dashboards loaded from a file; only the clock is fake. JavaScript is loose, except the chart module, which records
/// every call for the tests to check.
/// </summary>
public abstract class MonitorComponentTest : BunitContext, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "monitor-components-" + Guid.NewGuid().ToString("N"));

    protected MonitorComponentTest()
    {
        Directory.CreateDirectory(_directory);
        // Waits end as soon as their assertion holds; the long limit only spares a loaded CI machine false failures.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        ChartModule = JSInterop.SetupModule(ApexChart.ModulePath);

        Store = new SqliteObservationStore(Path.Combine(_directory, "observations.db"));

        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddLogging();
        // An empty configuration: every setting the features bind takes its default.
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddMonitorSettings();
        Services.AddCatalog();
        Services.AddAudit();
        Services.AddDashboards();
        Services.AddObservations();
        Services.AddMonitorJson();
        Services.AddLiveUpdates();
        Services.AddAlerts();

        // What differs from the app: a database and an observation store in this test's folder, its storage settings,
        // the fake clock and a fixed browser address.
        Services.AddDbContextFactory<MonitorDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "monitor.db")}"));
        Services.AddSingleton<DatabaseWrites>();
        Services.AddSingleton<IObservationStore>(Store);
        Services.AddSingleton(new IngestJournal(Path.Combine(_directory, "observations.db")));
        Services.AddSingleton(Options.Create(StorageSettings));
        Services.AddSingleton(Options.Create(OutboxSettings));
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddScoped(_ => new ClientAddress("198.51.100.4"));

        AddServices(Services);

        // Nobody signed in until a test says who (pages that check roles inside, such as the intake page's admin part).
        Authorization = AddAuthorization();
        Task.Run(SeedScenarioAsync).GetAwaiter().GetResult();
        Render<MudPopoverProvider>();
    }

    /// <summary>
    /// Now, as the components see it: the evening of the last scenario day unless a test moves it. MudBlazor's own
    /// timers (debounce, popovers) run on it too, so move it by minutes or hours, not years.
    /// </summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2014, 6, 28, 20, 0, 0, TimeSpan.Zero));

    protected BunitJSModuleInterop ChartModule { get; }

    protected BunitAuthorizationContext Authorization { get; }

    protected SqliteObservationStore Store { get; }

    protected ObservationFeed Feed => Services.GetRequiredService<ObservationFeed>();

    protected DashboardCatalog Dashboards => Services.GetRequiredService<DashboardCatalog>();

    protected CatalogService Catalog => Services.GetRequiredService<CatalogService>();

    /// <summary>Writes through the app's own path (validate, store, announce), as the API and the seed do.</summary>
    protected async Task SubmitAsync(params ObservationInput[] observations)
    {
        var outcome = await Services.GetRequiredService<ObservationIngest>().SubmitAsync(observations, CancellationToken.None);
        Assert.True(outcome.Status == SubmissionStatus.Accepted, string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    /// <summary>
    /// Retries an assertion until it holds: for effects that need no render (a chart updated through JavaScript
    /// interop), which bUnit's render-driven <c>WaitForAssertion</c> would not look at again.
    /// </summary>
    protected static async Task EventuallyAsync(Action assertion)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    /// <summary>More of the app's services for a family of tests; called once, before anything is resolved.</summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Storage settings as the app reads them; the store itself is always the embedded one here.</summary>
    protected virtual StorageOptions StorageSettings => new();

    protected virtual OutboxOptions OutboxSettings => new();

    /// <summary>Announces readings on the feed as the next batch, without storing them.</summary>
    protected void Announce(IReadOnlyList<RecordedObservation> observations) => Feed.Publish(new FeedBatch(Feed.LastSequence + 1, observations));

    protected static ObservationInput Reading(string site, string indicator, DateTimeOffset at, double value) =>
        new(site, indicator, Value: value, Timestamp: at, Source: "test");

    protected static ObservationInput Reading(string site, string indicator, DateTimeOffset at, string state) =>
        new(site, indicator, State: state, Timestamp: at, Source: "test");

    private async Task SeedScenarioAsync()
    {
        await Services.GetRequiredService<ObservationIngest>().InitializeAsync(CancellationToken.None);
        var factory = Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            db.Sites.AddRange(TestScenario.Sites.Select(CatalogService.ToRow));
            db.Indicators.AddRange(TestScenario.Indicators.Select(CatalogService.ToRow));
            await db.SaveChangesAsync();
        }
        await Catalog.ReloadAsync();

        var dashboards = Directory.CreateDirectory(Path.Combine(_directory, "dashboards")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dashboards, "north.json"), TestScenario.DashboardJson);
        Dashboards.Load(dashboards, Catalog.Current);
        Assert.Single(Dashboards.All);
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services can only be disposed asynchronously, so the context is disposed here, before xunit's
    // synchronous Dispose, which then finds nothing left to do.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary folder behind.
        }
    }
}
