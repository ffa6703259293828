using Monitor.Integration.Tests.Api;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>
/// The listener catching up after its link was down, through a relay that can cut and refuse connections, on an app
/// whose <c>Resume</c> answers pages of <see cref="ListenerApp.ResumePage"/> changes.
/// </summary>
public sealed class ListenerResumeTests(ListenerApp app) : IClassFixture<ListenerApp>, IDisposable
{
    private readonly HttpClient _reporter = app.Client(ReporterKey);
    private readonly HttpClient _viewer = app.Client(ViewerKey);

    public void Dispose()
    {
        _reporter.Dispose();
        _viewer.Dispose();
    }

    [Fact]
    public async Task Filtered_listener_cut_off_while_other_regions_fill_several_pages_still_prints_its_own_change()
    {
        await using var relay = new LoopbackRelay(app.Server);
        await using var listener = RunningListener.Start(relay.Url, ViewerKey, "--json", "--region", Anbar);
        await listener.CaughtUpAsync();

        relay.Refusing = true;
        relay.CutAll();
        await AlertScenario.WaitUntilAsync(() => listener.Status.Lines.Any(l => l.Contains("Connection lost", StringComparison.Ordinal)), "the cut to be noticed");
        var before = await _viewer.CurrentSequenceAsync();
        // Kirkuk flips more than a page of times (one batch, one change per reading), then Rawa, in Anbar, fires.
        var flips = Enumerable.Range(0, ListenerApp.ResumePage + 10)
            .Select(i => (object)new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = i % 2 == 0 ? 10 : 50, timestamp = AlertScenario.Fresh() })
            .ToArray();
        await (await _reporter.PostObservationsAsync(flips)).AssertAcceptedAsync(flips.Length);
        await _reporter.PostFuelAsync(Rawa, 10);
        long rawa = 0;
        await AlertScenario.WaitUntilAsync(async () => (rawa = await _viewer.ActiveAlertSequenceAsync(Rawa)) > before + ListenerApp.ResumePage,
            "Rawa's alert to be recorded after more than a page of Kirkuk's");

        relay.Refusing = false;
        await listener.CaughtUpAsync(connection: 2);
        await listener.PrintedAsync(1);

        var printed = Assert.Single(listener.Output.Alerts);
        Assert.Equal(Rawa, printed.GetProperty("siteId").GetString());
        Assert.Equal("firing", printed.GetProperty("status").GetString());
        Assert.Equal(rawa, printed.GetProperty("sequence").GetInt64());
    }
}
