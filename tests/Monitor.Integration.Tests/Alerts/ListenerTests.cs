using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Monitor.AlertListener;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>The app on real Kestrel with the rules the listener tests raise alerts from (created once).</summary>
public sealed class ListenerApp : IAsyncLifetime
{
    public const int ResumePage = 100;

    public KestrelMonitorAppFactory Factory { get; } = new();

    public Uri Server => Factory.ServerAddress;

    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Server };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async Task InitializeAsync()
    {
        foreach (var (key, value) in AlertScenario.Settings) Factory.Settings[key] = value;
        // The smallest page Resume may answer, so that a catch-up past it takes several calls.
        Factory.Settings["Alerts:ResumeLimit"] = ResumePage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var coordinator = Client(CoordinatorKey);
        // Kirkuk (seeded at 60 %) and Rawa (no reading) start quiet; Mosul (seeded at 12 %) and Al Qaim (seeded closed) fire at once.
        await coordinator.CreateFuelRuleAsync(Kirkuk, "critical");
        await coordinator.CreateFuelRuleAsync(Mosul, "critical");
        await coordinator.CreateFuelRuleAsync(Rawa, "warning");
        await coordinator.CreateRuleAsync(new { name = "Al Qaim closed", indicatorId = CrossingStatus, siteId = AlQaim, @operator = "in", states = new[] { "closed" }, severity = "critical" });
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>monitor-alerts</c> against the real app: what it prints for changes raised by real POSTs, and what its subscription
/// keeps out. Non-receipt is shown by order: the server pushes in sequence order and the listener prints in it, so a
/// listener whose lines end with the last change raised has printed everything it was ever going to print before it.
/// </summary>
public sealed class ListenerTests(ListenerApp app) : IClassFixture<ListenerApp>, IDisposable
{
    private readonly HttpClient _reporter = app.Client(ReporterKey);
    private readonly HttpClient _viewer = app.Client(ViewerKey);

    public void Dispose()
    {
        _reporter.Dispose();
        _viewer.Dispose();
    }

    private static (Guid Id, long Sequence) Key(JsonElement alert) => (alert.GetProperty("id").GetGuid(), alert.GetProperty("sequence").GetInt64());

    [Fact]
    public async Task Prints_each_change_raised_by_a_post_once_as_recorded_in_json_and_as_a_readable_line()
    {
        var start = await _viewer.CurrentSequenceAsync();
        await using var json = RunningListener.Start(app.Server, ViewerKey, "--json", "--site", Kirkuk);
        await using var readable = RunningListener.Start(app.Server, ViewerKey, "--site", Kirkuk);
        await json.CaughtUpAsync();
        await readable.CaughtUpAsync();

        await _reporter.PostFuelAsync(Kirkuk, 10);
        await _reporter.PostFuelAsync(Kirkuk, 50);
        await _reporter.PostFuelAsync(Kirkuk, 9.5);
        await json.PrintedAsync(3);
        await readable.PrintedAsync(3);

        var recorded = (await _viewer.RecordedChangesAsync(start)).Where(c => c.SiteId == Kirkuk).ToArray();
        Assert.Equal(recorded.Select(c => (c.Id, c.Sequence)), json.Output.Alerts.Select(Key));
        foreach (var printed in json.Output.Alerts)
        {
            var history = await _viewer.GetStringAsync($"/api/alerts/{printed.GetProperty("id").GetGuid()}/history");
            var same = JsonDocument.Parse(history).RootElement.EnumerateArray().Single(c => Key(c) == Key(printed));
            Assert.True(JsonElement.DeepEquals(same, printed), $"Printed {printed.GetRawText()}\nrecorded {same.GetRawText()}");
        }

        var lines = readable.Output.Lines;
        Assert.Equal(["firing", "resolved", "firing"], lines.Select(l => l.Split("  ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[2]));
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  critical  firing    Kirkuk \(Kirkuk\)  Fuel stations open at Kirkuk is 9\.5 % — below 30 %$"), lines[2]);
        Assert.Equal(ExitCodes.Stopped, await json.StopAsync());
    }

    [Fact]
    public async Task Region_and_minimum_severity_keep_other_alerts_out()
    {
        await using var anbar = RunningListener.Start(app.Server, ViewerKey, "--json", "--region", Anbar);
        await using var critical = RunningListener.Start(app.Server, ViewerKey, "--json", "--min-severity", "critical", "--site", Mosul, "--site", AlQaim, "--site", Rawa);
        await anbar.CaughtUpAsync();
        await critical.CaughtUpAsync();

        await _reporter.PostFuelAsync(Mosul, 50);   // Ninawa, critical: resolved
        await _reporter.PostFuelAsync(Rawa, 10);    // Anbar, warning: firing
        await _reporter.PostFuelAsync(Mosul, 10);   // Ninawa, critical: firing
        await _reporter.PostFuelAsync(Rawa, 50);    // Anbar, warning: resolved
        await (await _reporter.PostAsJsonAsync("/api/observations", new[] { new { siteId = AlQaim, indicatorId = CrossingStatus, state = "open", timestamp = AlertScenario.Fresh() } }))
            .AssertAcceptedAsync(1);                // Anbar, critical: resolved — the last change, seen by both
        await anbar.PrintedAsync(3);
        await critical.PrintedAsync(3);

        static string[] Describe(LineRecorder output) =>
            output.Alerts.Select(a => $"{a.GetProperty("siteId").GetString()} {a.GetProperty("status").GetString()}").ToArray();
        Assert.Equal([$"{Rawa} firing", $"{Rawa} resolved", $"{AlQaim} resolved"], Describe(anbar.Output));
        Assert.Equal([$"{Mosul} resolved", $"{Mosul} firing", $"{AlQaim} resolved"], Describe(critical.Output));
    }

    [Fact]
    public async Task Refused_key_ends_the_listener_with_its_exit_code_instead_of_retrying()
    {
        await using var listener = RunningListener.Start(app.Server, "not-a-key-of-this-server");

        await AlertScenario.WaitUntilAsync(() => listener.Status.Lines.Any(l => l.Contains("refused the API key", StringComparison.Ordinal)), "the refusal");
        Assert.Equal(ExitCodes.Refused, await listener.StopAsync());
    }
}
