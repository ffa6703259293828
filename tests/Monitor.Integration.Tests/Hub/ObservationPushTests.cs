using System.Diagnostics;
using System.Text.Json;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Hub;

/// <summary>
/// Live observations over a real WebSocket. Non-receipt is shown by order, not by waiting: one batch carries the
/// unwanted observations first and a wanted marker last, so a filtered client that reads the marker first got none of them.
/// </summary>
public sealed class ObservationPushTests(KestrelMonitorAppFactory app) : IClassFixture<KestrelMonitorAppFactory>, IDisposable
{
    private readonly HttpClient _reporter = app.CreateClient(ReporterKey);

    public void Dispose() => _reporter.Dispose();

    private static object Reading(string siteId, DateTimeOffset timestamp) => siteId switch
    {
        Baiji => new { siteId, indicatorId = RefineryStatus, state = "offline", timestamp },
        AlQaim => new { siteId, indicatorId = CrossingStatus, state = "closed", timestamp },
        _ => new { siteId, indicatorId = FuelStationsOpen, value = 50, timestamp },
    };

    private async Task PostBatchAsync(params string[] siteIds)
    {
        var day = NewWindow();
        var batch = siteIds.Select((site, i) => Reading(site, day.AddMinutes(i))).ToArray();
        await (await _reporter.PostObservationsAsync(batch)).AssertAcceptedAsync(batch.Length);
    }

    [Fact]
    public async Task Connected_client_receives_a_numeric_observation_with_the_documented_fields_within_a_second()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        var at = NewWindow().AddHours(7).AddMilliseconds(250);
        var clock = Stopwatch.StartNew();

        await (await _reporter.PostObservationsAsync(new
        {
            siteId = TalAfar, indicatorId = FuelStationsOpen, value = 12.5, timestamp = at, source = "radio, north", note = "queue \"2 km\"\nno diesel",
        })).AssertAcceptedAsync(1);
        var received = await live.NextAsync(TimeSpan.FromSeconds(1));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Took {clock.Elapsed.TotalMilliseconds} ms.");
        Assert.Equal(
            ["indicatorId", "note", "region", "siteId", "source", "timestamp", "value"],
            received.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TalAfar, received.GetProperty("siteId").GetString());
        Assert.Equal(Ninawa, received.GetProperty("region").GetString());
        Assert.Equal(FuelStationsOpen, received.GetProperty("indicatorId").GetString());
        Assert.Equal(at, received.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(12.5, received.GetProperty("value").GetDouble());
        Assert.Equal("radio, north", received.GetProperty("source").GetString());
        Assert.Equal("queue \"2 km\"\nno diesel", received.GetProperty("note").GetString());
    }

    [Fact]
    public async Task State_observation_carries_its_state_and_no_value()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        var at = NewWindow();

        await (await _reporter.PostObservationsAsync(new { siteId = Baiji, indicatorId = RefineryStatus, state = "reduced", timestamp = at })).AssertAcceptedAsync(1);
        var received = await live.NextAsync();

        Assert.Equal("reduced", received.GetProperty("state").GetString());
        Assert.Equal(SalahAdDin, received.GetProperty("region").GetString());
        Assert.False(received.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task Refused_batch_pushes_nothing()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        var day = NewWindow();

        using var refused = await _reporter.PostObservationsAsync(Reading(Mosul, day), new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 500, timestamp = day });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        await PostBatchAsync(Kirkuk);

        Assert.Equal([Kirkuk], await live.SiteIdsUntilAsync(Kirkuk));
    }

    [Fact]
    public async Task Client_without_a_subscription_receives_every_observation_in_order()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);

        await PostBatchAsync(Mosul, Baiji, AlQaim, TalAfar, Kirkuk);

        Assert.Equal([Mosul, Baiji, AlQaim, TalAfar, Kirkuk], await live.SiteIdsUntilAsync(Kirkuk));
    }

    [Fact]
    public async Task Region_subscription_receives_only_that_region()
    {
        await using var anbar = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        await using var everything = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        await anbar.SubscribeAsync(regions: [Anbar]);

        await PostBatchAsync(Mosul, Baiji, Kirkuk, TalAfar, AlQaim, Mosul, Rawa);

        Assert.Equal([AlQaim, Rawa], await anbar.SiteIdsUntilAsync(Rawa));
        Assert.Equal([Mosul, Baiji, Kirkuk, TalAfar, AlQaim, Mosul, Rawa], await everything.SiteIdsUntilAsync(Rawa));
    }

    [Fact]
    public async Task Site_subscription_receives_only_that_site()
    {
        await using var kirkuk = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        await kirkuk.SubscribeAsync(siteIds: [Kirkuk]);

        await PostBatchAsync(Mosul, AlQaim, Baiji, TalAfar, Kirkuk);

        Assert.Equal([Kirkuk], await kirkuk.SiteIdsUntilAsync(Kirkuk));
    }

    [Fact]
    public async Task Regions_and_sites_together_receive_their_union()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        await live.SubscribeAsync(regions: [Anbar], siteIds: [Baiji, TalAfar]);

        await PostBatchAsync(Mosul, Baiji, Kirkuk, AlQaim, TalAfar, Mosul, Rawa);

        Assert.Equal([Baiji, AlQaim, TalAfar, Rawa], await live.SiteIdsUntilAsync(Rawa));
    }

    [Fact]
    public async Task New_subscription_replaces_the_previous_one()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        await live.SubscribeAsync(regions: [Anbar]);
        await live.SubscribeAsync(siteIds: [Mosul]);

        await PostBatchAsync(AlQaim, Rawa, Kirkuk, Mosul);

        Assert.Equal([Mosul], await live.SiteIdsUntilAsync(Mosul));
    }

    [Fact]
    public async Task Empty_subscription_receives_everything_again()
    {
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);
        await live.SubscribeAsync(siteIds: [Mosul]);
        await live.SubscribeAsync();

        await PostBatchAsync(AlQaim, Kirkuk, Mosul);

        Assert.Equal([AlQaim, Kirkuk, Mosul], await live.SiteIdsUntilAsync(Mosul));
    }
}
