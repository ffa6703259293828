using System.Diagnostics;
using Monitor.Domain.Observations;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Integration.Tests.Ingest;
using Monitor.Web.Demo;
using Monitor.Web.Observations.Feed;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Demo;

public sealed class DemoFeedTests : IDisposable
{
    /// <summary>6 scenario hours in 60 ms: the live part (two days) streams in under a second.</summary>
    private const double Fast = 360_000;

    /// <summary>6 scenario hours in 6 real hours: after the first live reading nothing more arrives during a test.</summary>
    private const double RealTime = 1;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("monitor-demo-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static IReadOnlyList<(string SiteId, string IndicatorId, double? Value, string? State, string? Note)> Content(IEnumerable<Observation> readings) =>
        readings.Select(o => (o.SiteId, o.IndicatorId, o.Value, o.State, o.Note)).ToArray();

    private static IReadOnlyList<(string SiteId, string IndicatorId, double? Value, string? State, string? Note)> Content(IEnumerable<RecordedObservation> readings) =>
        Content(readings.Select(o => o.ToObservation()));

    /// <summary>Every stored reading of the demo timeline's series, from 2000 to a minute from now.</summary>
    internal static async Task<IReadOnlyDictionary<(string, string), List<PointDto>>> StoredAsync(HttpClient client)
    {
        var stored = new Dictionary<(string, string), List<PointDto>>();
        foreach (var (site, indicator) in DemoAppFactory.Timeline.Select(o => (o.SiteId, o.IndicatorId)).Distinct())
        {
            stored[(site, indicator)] = (await client.GetSeriesAsync(site, indicator, Utc(2000, 1, 1, 0), DateTimeOffset.UtcNow.AddMinutes(1), 100_000)).Points;
        }
        return stored;
    }

    internal static void AssertEachSeriesHoldsTheTimelineOnce(IReadOnlyDictionary<(string, string), List<PointDto>> stored)
    {
        foreach (var ((site, indicator), points) in stored)
        {
            var expected = DemoAppFactory.Timeline.Where(o => o.SiteId == site && o.IndicatorId == indicator).OrderBy(o => o.Timestamp).ToArray();
            Assert.Equal(expected.Select(o => (o.Value, o.State)), points.Select(p => (p.Value, p.State)));
            Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First.Timestamp < pair.Second.Timestamp), $"{site}/{indicator} is not in time order.");
            Assert.All(points, p => Assert.True(p.Timestamp.Year > 2014, $"{site}/{indicator} kept a 2014 date: {p.Timestamp:O}."));
        }
    }

    [Fact]
    public async Task First_start_loads_the_scenario_moved_so_that_its_loaded_part_ends_now()
    {
        var before = DateTimeOffset.UtcNow;
        await using var app = new DemoAppFactory(RealTime);
        using var viewer = app.CreateClient(ViewerKey);
        var after = DateTimeOffset.UtcNow;

        var mosul = (await viewer.GetSeriesAsync(Mosul, FuelStationsOpen, before.AddDays(-30), after.AddMinutes(1), 100_000)).Points;
        var loaded = DemoAppFactory.LoadedPart.Where(o => o.SiteId == Mosul).ToArray();

        // The cut (10 June 00:00) falls on the moment of loading; the newest loaded reading, 9 June 18:00, six hours before it.
        var cutAt = mosul[loaded.Length - 1].Timestamp.AddHours(6);
        Assert.InRange(cutAt, before.AddSeconds(-1), after);
        Assert.Equal(loaded.Select(o => o.Timestamp - DemoAppFactory.LiveFrom), mosul.Take(loaded.Length).Select(p => p.Timestamp - cutAt));
        Assert.Equal(loaded.Select(o => o.Value), mosul.Take(loaded.Length).Select(p => p.Value));
        Assert.Empty((await viewer.GetSeriesAsync(Mosul, FuelStationsOpen, SeedFrom, SeedTo)).Points);
    }

    [Fact]
    public async Task Readings_arrive_at_once_stamped_when_they_are_posted()
    {
        var before = DateTimeOffset.UtcNow;
        await using var app = new DemoAppFactory(RealTime);
        using var viewer = app.CreateClient(ViewerKey);

        // The first live reading is the cut itself (10 June 00:00): due the moment streaming starts.
        await app.WaitForStreamedAsync(before, 1);
        var arrived = DateTimeOffset.UtcNow;
        var reading = Assert.Single(app.Streamed(before), o => o.SiteId == Mosul);
        var latest = Assert.Single(await viewer.GetLatestAsync(Mosul));

        Assert.Equal(DemoAppFactory.LivePart.First(o => o.SiteId == Mosul).Value, reading.Value);
        Assert.InRange(reading.Timestamp, before, arrived);
        Assert.Equal(reading.Timestamp, latest.Timestamp);
        Assert.Equal(reading.Value, latest.Value);
        Assert.Equal("fresh", latest.Freshness, ignoreCase: true);
    }

    [Fact]
    public async Task The_live_part_arrives_through_the_ingest_path_in_order_in_small_batches_and_then_stops()
    {
        var before = DateTimeOffset.UtcNow;
        await using var app = new DemoAppFactory(Fast);
        using var viewer = app.CreateClient(ViewerKey);

        await app.WaitUntilFinishedAsync();
        var finished = DateTimeOffset.UtcNow;
        var streamed = app.Streamed(before);
        var liveBatches = app.Recorder.Batches.Where(b => b.Observations.Any(o => o.Timestamp >= before)).ToArray();

        Assert.Equal(Content(DemoAppFactory.LivePart), Content(streamed));
        Assert.True(streamed.Zip(streamed.Skip(1)).All(pair => pair.First.Timestamp <= pair.Second.Timestamp), "Live readings are not in time order.");
        Assert.All(streamed, o => Assert.InRange(o.Timestamp, before, finished));
        Assert.True(liveBatches.Length > 1, "The live part came in one batch, not as it fell due.");
        Assert.All(liveBatches, b => Assert.InRange(b.Observations.Count, 1, 100));
        AssertEachSeriesHoldsTheTimelineOnce(await StoredAsync(viewer));
        Assert.Contains(app.Logs.Entries, e => e.Category == typeof(DemoFeed).FullName && e.Message.StartsWith("Demo feed finished", StringComparison.Ordinal));
        // Al Qaim's closure is the state a planner watches for: stored with its note, at the feed's own time.
        var alQaim = Assert.Single(await viewer.GetLatestAsync(AlQaim));
        Assert.Equal("closed", alQaim.State);
        Assert.InRange(alQaim.Timestamp, before, finished);
    }

    [Fact]
    public async Task A_restart_continues_where_the_feed_stopped_and_repeats_nothing()
    {
        // 6 scenario hours every 0.6 s: the live part takes about five seconds, long enough to stop it halfway.
        const double speed = 36_000;
        var before = DateTimeOffset.UtcNow;
        int streamedBefore;
        await using (var first = new DemoAppFactory(speed) { DataDirectory = _dataDirectory })
        {
            first.CreateClient(ViewerKey).Dispose();
            await first.WaitForStreamedAsync(before, 3);
            streamedBefore = first.Streamed(before).Count;
        }
        Assert.InRange(streamedBefore, 3, DemoAppFactory.LivePart.Count - 1);

        await using (var second = new DemoAppFactory(speed) { DataDirectory = _dataDirectory })
        {
            using var viewer = second.CreateClient(ViewerKey);
            await second.WaitUntilFinishedAsync();
            var rest = second.Recorder.Batches.SelectMany(b => b.Observations).ToArray();

            Assert.InRange(rest.Length, 1, DemoAppFactory.LivePart.Count - 3);
            Assert.Equal(Content(DemoAppFactory.LivePart.TakeLast(rest.Length)), Content(rest));
            AssertEachSeriesHoldsTheTimelineOnce(await StoredAsync(viewer));
        }

        // Finished is finished: a third start streams nothing and says so.
        await using var third = new DemoAppFactory(speed) { DataDirectory = _dataDirectory };
        using var again = third.CreateClient(ViewerKey);
        await third.WaitUntilFinishedAsync();
        Assert.Empty(third.Recorder.Batches);
        AssertEachSeriesHoldsTheTimelineOnce(await StoredAsync(again));
        Assert.Contains(third.Logs.Entries, e => e.Message.Contains("finished on an earlier start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_in_flight_when_the_app_stopped_is_posted_again_storing_what_was_missing_and_nothing_twice()
    {
        var before = DateTimeOffset.UtcNow;
        await using (var first = new DemoAppFactory(RealTime) { DataDirectory = _dataDirectory })
        {
            first.CreateClient(ViewerKey).Dispose();
            await first.WaitForStreamedAsync(before, 1);
        }
        // The first live reading is stored. As if the app had stopped while posting it together with all the others (the
        // schedule sped up so that they were all due then).
        var progress = DemoFeedProgress.Read(_dataDirectory)!;
        Assert.Equal((0, 1), (progress.Next, progress.Through));
        (progress with { Through = progress.LiveCount, Schedule = progress.Schedule! with { Speed = Fast } }).Save(_dataDirectory);

        await using var second = new DemoAppFactory(RealTime) { DataDirectory = _dataDirectory };
        using var viewer = second.CreateClient(ViewerKey);
        await second.WaitUntilFinishedAsync();
        var stored = second.Recorder.Batches.SelectMany(b => b.Observations).ToArray();

        Assert.Equal(Content(DemoAppFactory.LivePart.Skip(1)), Content(stored));
        AssertEachSeriesHoldsTheTimelineOnce(await StoredAsync(viewer));
        Assert.DoesNotContain(second.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && e.Category == typeof(DemoFeed).FullName);
    }

    [Fact]
    public async Task A_start_interrupted_while_loading_finishes_the_load_without_a_duplicate()
    {
        await using (var first = new DemoAppFactory(Fast) { DataDirectory = _dataDirectory })
        {
            first.CreateClient(ViewerKey).Dispose();
            await first.WaitUntilFinishedAsync();
        }
        // As if the app had stopped before it noted the load: the store holds data, so only the feed can finish it.
        var progress = DemoFeedProgress.Read(_dataDirectory)!;
        (progress with { Loaded = false, Finished = false }).Save(_dataDirectory);

        await using var second = new DemoAppFactory(Fast) { DataDirectory = _dataDirectory };
        using var viewer = second.CreateClient(ViewerKey);
        await second.WaitUntilFinishedAsync();

        Assert.Empty(second.Recorder.Batches);
        Assert.True(DemoFeedProgress.Read(_dataDirectory)!.Loaded);
        AssertEachSeriesHoldsTheTimelineOnce(await StoredAsync(viewer));
    }

    [Fact]
    public async Task Stopping_the_app_does_not_wait_for_the_next_reading()
    {
        var before = DateTimeOffset.UtcNow;
        var app = new DemoAppFactory(RealTime);
        app.CreateClient(ViewerKey).Dispose();
        await app.WaitForStreamedAsync(before, 1);

        // The next reading is six real hours away; the host would wait out its 30 s shutdown timeout for a feed that ignored it.
        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {stopping.Elapsed}.");
    }

    [Fact]
    public async Task With_the_feed_off_the_scenario_keeps_its_real_dates()
    {
        await using var app = new MonitorAppFactory { DataDirectory = _dataDirectory };
        using var viewer = app.CreateClient(ViewerKey);

        var mosul = await viewer.GetSeriesAsync(Mosul, FuelStationsOpen, SeedFrom, SeedTo, 100_000);

        Assert.Equal(Observations.Where(o => o.SiteId == Mosul).Select(o => (o.Timestamp, o.Value)), mosul.Points.Select(p => (p.Timestamp, p.Value)));
        Assert.False(File.Exists(Path.Combine(_dataDirectory, DemoFeedProgress.FileName)));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Category == typeof(DemoFeed).FullName);
    }

    [Fact]
    public async Task Turning_the_feed_on_over_a_store_with_data_streams_nothing_into_it()
    {
        await using (var real = new MonitorAppFactory { DataDirectory = _dataDirectory })
        {
            real.CreateClient(ViewerKey).Dispose();
        }

        await using var demo = new DemoAppFactory(Fast) { DataDirectory = _dataDirectory };
        using var viewer = demo.CreateClient(ViewerKey);
        await demo.Feed.ExecuteTask!.WaitAsync(FeedRecorder.Patience);
        var logged = demo.Logs.Entries.Where(e => e.Category == typeof(DemoFeed).FullName).ToArray();

        Assert.Contains(logged, e => e.Message.Contains("nothing to stream", StringComparison.Ordinal));
        Assert.Empty(demo.Recorder.Batches);
        var mosul = await viewer.GetSeriesAsync(Mosul, FuelStationsOpen, SeedFrom, SeedTo, 100_000);
        Assert.Equal(Observations.Count(o => o.SiteId == Mosul), mosul.Points.Count);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2000000")]
    public async Task A_speed_out_of_range_fails_start_naming_the_setting(string speed)
    {
        await using var app = new MonitorAppFactory();
        app.Settings["Monitor:DemoFeed:Speed"] = speed;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Monitor:DemoFeed:Speed", error.ToString(), StringComparison.Ordinal);
    }
}
