using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Demo;

/// <summary>The demo feed on a real influxd: its batches go through the outbox like any other, and a restart repeats nothing.</summary>
[Collection(InfluxdCollection.Name)]
public sealed class DemoFeedInfluxDbTests(InfluxdFixture influxd) : IAsyncLifetime
{
    private readonly string _database = "demo_" + Guid.NewGuid().ToString("N");
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("monitor-demo-influx-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await influxd.DropDatabaseAsync(_database);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private DemoAppFactory CreateApp(double speed)
    {
        var app = new DemoAppFactory(speed) { DataDirectory = _dataDirectory };
        app.Settings["Storage:Provider"] = "InfluxDB";
        app.Settings["InfluxDB:Url"] = influxd.Url.ToString();
        app.Settings["InfluxDB:Database"] = _database;
        return app;
    }

    [Fact]
    public async Task A_restart_on_InfluxDB_continues_where_the_feed_stopped_and_repeats_nothing()
    {
        // 6 scenario hours every 0.6 s: long enough to stop the feed halfway.
        const double speed = 36_000;
        var before = DateTimeOffset.UtcNow;
        await using (var first = CreateApp(speed))
        {
            first.CreateClient(ViewerKey).Dispose();
            await first.WaitForStreamedAsync(before, 3);
        }

        await using var second = CreateApp(speed);
        using var viewer = second.CreateClient(ViewerKey);
        await second.WaitUntilFinishedAsync();

        DemoFeedTests.AssertEachSeriesHoldsTheTimelineOnce(await DemoFeedTests.StoredAsync(viewer));
    }
}
