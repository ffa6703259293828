using Monitor.AlertListener;
using Monitor.Integration.Tests.Fixtures;
using Monitor.TestServers;
using Xunit.Abstractions;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>
/// The listener across a crash of the server: the app runs as a child process, is killed as <c>kill -9</c> does and is
/// started again on the same data directory and address. A change raised after the restart, before the listener is
/// back, must reach it through <c>Resume</c>; nothing may be printed twice.
/// </summary>
public sealed class ListenerRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TemporaryDirectory _root = new();
    private readonly List<AppProcess> _apps = [];

    public Task InitializeAsync()
    {
        TestScenario.Write(_root.File("seed"));
        Directory.CreateDirectory(_root.File("dashboards"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        _root.Dispose();
    }

    private async Task<AppProcess> StartAppAsync(Uri? at = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Embedded",
            ["Monitor__DataDirectory"] = _root.File("data"),
            ["Monitor__SeedDirectory"] = _root.File("seed"),
            ["Monitor__DashboardsDirectory"] = _root.File("dashboards"),
        };
        foreach (var (key, value) in AlertScenario.Settings) settings[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var index = 0;
        foreach (var (role, key) in KeysByRole)
        {
            settings[$"Auth__ApiKeys__{index}__Name"] = role;
            settings[$"Auth__ApiKeys__{index}__Key"] = key;
            settings[$"Auth__ApiKeys__{index++}__Role"] = role;
        }
        // Generous: on a busy machine a cold start of the app alone can take a minute.
        var app = await AppProcess.StartAsync(AppProcess.BesideThisAssembly(), settings, AppProcess.Serving, TimeSpan.FromMinutes(3), url: at);
        _apps.Add(app);
        return app;
    }

    private static HttpClient Client(AppProcess app, string apiKey)
    {
        var client = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    [Fact]
    public async Task Listener_prints_every_change_exactly_once_across_a_kill_and_restart_of_the_app()
    {
        var first = await StartAppAsync();
        using (var coordinator = Client(first, CoordinatorKey)) await coordinator.CreateFuelRuleAsync(Mosul, "critical");
        long start;
        using (var viewer = Client(first, ViewerKey)) start = await viewer.CurrentSequenceAsync();
        await using var listener = RunningListener.Start(first.Url, ViewerKey, "--json");
        await listener.CaughtUpAsync();

        using (var reporter = Client(first, ReporterKey)) await reporter.PostFuelAsync(Mosul, 50);
        await listener.PrintedAsync(1);

        await first.KillAsync();
        await AlertScenario.WaitUntilAsync(() => listener.Status.Lines.Any(l => l.Contains("Connection lost", StringComparison.Ordinal)),
            "the listener to notice the app is gone", describe: () => listener.Status.ToString());
        var second = await StartAppAsync(at: first.Url);
        using var reporterAgain = Client(second, ReporterKey);
        await reporterAgain.PostFuelAsync(Mosul, 10);
        await listener.CaughtUpAsync(connection: 2);
        await listener.PrintedAsync(2);
        await reporterAgain.PostFuelAsync(Mosul, 50);
        await listener.PrintedAsync(3);

        using var viewerAgain = Client(second, ViewerKey);
        var recorded = await viewerAgain.RecordedChangesAsync(start);
        var printed = listener.Output.Alerts.Select(a => (a.GetProperty("id").GetGuid(), a.GetProperty("sequence").GetInt64())).ToArray();
        Assert.Equal(recorded.Select(c => (c.Id, c.Sequence)), printed);
        Assert.Equal(["resolved", "firing", "resolved"], listener.Output.Alerts.Select(a => a.GetProperty("status").GetString()));
        Assert.Equal(ExitCodes.Stopped, await listener.StopAsync());
        output.WriteLine("The listener's status:\n" + listener.Status);
    }
}
