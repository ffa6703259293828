using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations.Feed;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The write path on the embedded store: the commit is the store itself, so nothing is ever queued.</summary>
public sealed class EmbeddedIngestTests : IngestContract
{
    protected override bool Queues => false;

    protected override MonitorAppFactory CreateApp(Action<IServiceCollection> holdDrain) => new() { TestServices = holdDrain };

    [Fact]
    public async Task An_app_started_on_the_same_data_continues_the_sequence()
    {
        var first = await (await Reporter.PostObservationsAsync(
            new { siteId = TestScenario.Mosul, indicatorId = TestScenario.FuelStationsOpen, value = 1, timestamp = TestScenario.NewWindow() })).AcceptedSequenceAsync();

        using var restarted = new MonitorAppFactory { DataDirectory = App.DataDirectory };
        using var reporter = restarted.CreateClient(TestScenario.ReporterKey);
        var feed = restarted.Services.GetRequiredService<ObservationFeed>();

        Assert.Equal(first, feed.LastSequence);
        var next = await (await reporter.PostObservationsAsync(
            new { siteId = TestScenario.Mosul, indicatorId = TestScenario.FuelStationsOpen, value = 2, timestamp = TestScenario.NewWindow() })).AcceptedSequenceAsync();
        Assert.Equal(first + 1, next);
    }

    protected override async Task<int> StoredCountAsync(string siteId, string indicatorId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(App.DataDirectory, "observations.db")};Pooling=false");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM observations WHERE site_id = $site AND indicator_id = $indicator AND ts BETWEEN $from AND $to";
        count.Parameters.AddWithValue("$site", siteId);
        count.Parameters.AddWithValue("$indicator", indicatorId);
        count.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        count.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        return Convert.ToInt32(await count.ExecuteScalarAsync());
    }
}
