using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Monitor.Integration.Tests.Fixtures;
using Monitor.TestServers;
using Xunit.Abstractions;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// "Nothing lost" from the specification's quality bar, against a real influxd and the app as a real child process:
/// every observation answered 202 reaches InfluxDB exactly once through an InfluxDB outage, through <c>kill -9</c> of
/// the app during the outage and through <c>kill -9</c> while the outbox drains; no batch is refused meanwhile.
/// </summary>
/// <remarks>
/// Each test has its own database and data directory. The app retries InfluxDB at most every half second and reports a
/// backlog older than a tenth of a second as Degraded, so <c>Healthy</c> after the client stopped means the outbox is
/// empty and InfluxDB has confirmed everything.
/// </remarks>
[Collection(InfluxdCollection.Name)]
public sealed partial class OutboxFaultTests(InfluxdFixture influxd, ITestOutputHelper output) : IAsyncLifetime
{
    private const string ApiKey = "fault-test-reporter-key-3b8e51f0";
    private const string Site = TestScenario.Mosul;
    private const string Indicator = TestScenario.FuelStationsOpen;
    private static readonly TimeSpan LagWarning = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(2);

    private readonly string _database = "fault_" + Guid.NewGuid().ToString("N");
    private readonly TemporaryDirectory _root = new();
    private readonly List<AppProcess> _apps = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly BatchLedger _ledger = new(Site, Indicator, new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        // The seed catalog knows the series posted to; no seed observations, so everything in the database is the test's.
        TestScenario.Write(_root.File("seed"), observations: []);
        Directory.CreateDirectory(_root.File("dashboards"));
        await influxd.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await influxd.StartAsync();
        try
        {
            await influxd.DropDatabaseAsync(_database);
        }
        catch (InvalidOperationException)
        {
            // A database left behind costs influxd a little memory until the fixture ends; not worth failing for.
        }
        _root.Dispose();
    }

    [Fact]
    public async Task Observations_answered_202_through_an_influxd_outage_are_stored_exactly_once_and_none_is_refused()
    {
        var app = await StartAppAsync();
        await using (var stream = ObservationStream.Start(app.Url, ApiKey, _ledger))
        {
            await WaitUntilAsync(() => _ledger.AnsweredBatches >= 10, "the stream to get going");

            await influxd.StopAsync();
            Step($"influxd stopped after {_ledger.AnsweredBatches} batches");
            var beforeOutage = _ledger.AnsweredBatches;
            var outage = Stopwatch.StartNew();
            await WaitUntilAsync(() => outage.Elapsed >= OutageLength && _ledger.AnsweredBatches - beforeOutage >= 50,
                "50 batches answered during an outage of two seconds");
            var queued = await AssertDegradedWithQueueAsync(app);
            Step($"{queued} observations queued");

            await influxd.StartAsync();
            Step("influxd started");
            var afterOutage = _ledger.AnsweredBatches;
            await WaitUntilAsync(() => _ledger.AnsweredBatches - afterOutage >= 10, "the stream to go on after the outage");
            await stream.StopAsync();
            Step($"stream stopped after {_ledger.AnsweredBatches} batches");
        }

        await WaitUntilDrainedAsync(app);
        Assert.Empty(_ledger.Refused);
        Assert.Empty(_ledger.Unanswered);
        await AssertStoredExactlyOnceAsync();
    }

    [Fact]
    public async Task Kill_9_of_the_app_during_an_influxd_outage_loses_and_duplicates_nothing()
    {
        var first = await StartAppAsync();
        int queued;
        await using (var stream = ObservationStream.Start(first.Url, ApiKey, _ledger))
        {
            await WaitUntilAsync(() => _ledger.AnsweredBatches >= 10, "the stream to get going");
            await influxd.StopAsync();
            var beforeOutage = _ledger.AnsweredBatches;
            await WaitUntilAsync(() => _ledger.AnsweredBatches - beforeOutage >= 20, "20 batches answered during the outage");
            queued = await AssertDegradedWithQueueAsync(first);
            Assert.True(queued > 0);

            // Killed with the stream still posting: a batch in flight may or may not have been committed.
            await first.KillAsync();
            Step($"app killed with {queued} or more observations queued, {_ledger.AnsweredBatches} batches answered");
        }

        var second = await StartAppAsync();
        var reloaded = await AssertDegradedWithQueueAsync(second);
        Assert.True(reloaded >= queued, $"The restarted app reports {reloaded} observations queued; {queued} were queued before the kill.");
        Step($"{reloaded} observations reloaded from the outbox");

        // The new app does not know yet what InfluxDB holds: these readings are checked by the drain once it answers.
        await using (var stream = ObservationStream.Start(second.Url, ApiKey, _ledger))
        {
            var before = _ledger.AnsweredBatches;
            await WaitUntilAsync(() => _ledger.AnsweredBatches - before >= 3, "3 batches answered by the restarted app during the outage");
            await stream.StopAsync();
            Step($"stream stopped after {_ledger.AnsweredBatches} batches");
        }
        await influxd.StartAsync();
        Step("influxd started");

        await WaitUntilDrainedAsync(second);
        Assert.Empty(_ledger.Refused);
        Assert.True(_ledger.Unanswered.Count <= 1, $"Only the batch in flight at the kill can lack an answer, not {_ledger.Unanswered.Count}.");
        await AssertStoredExactlyOnceAsync();
    }

    [Fact]
    public async Task Kill_9_of_the_app_while_the_outbox_drains_loses_and_duplicates_nothing()
    {
        // Large enough that the drain (about 200,000 a second here) is still writing when the first points show.
        const int Backlog = 200_000;
        var first = await StartAppAsync();
        await influxd.StopAsync();
        using (var client = Client(first))
        {
            while (_ledger.Sent < Backlog) Assert.True(await _ledger.PostAsync(client, _ledger.Take(5_000)), "The app did not answer.");
        }
        Assert.Empty(_ledger.Refused);
        Assert.Equal(Backlog, await AssertDegradedWithQueueAsync(first));
        Step($"{Backlog} observations queued");

        await influxd.StartAsync();
        Step("influxd started");
        long stored = 0;
        await WaitUntilAsync(async () => (stored = await CountStoredAsync()) > 0, "the drain to write the first observations", TimeSpan.Zero);
        await first.KillAsync();
        Step($"app killed with {stored} observations in InfluxDB");
        Assert.True(stored < Backlog, $"The drain wrote all {Backlog} observations before the test could interrupt it.");

        var second = await StartAppAsync();
        await WaitUntilDrainedAsync(second);
        Assert.Empty(_ledger.Unanswered);
        await AssertStoredExactlyOnceAsync();
    }

    /// <summary>Notes how far the test got and when, for reading a failure or a slow run.</summary>
    private void Step(string what) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,6:0.00} s  {what}"));

    private async Task<AppProcess> StartAppAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "InfluxDB",
            ["InfluxDB__Url"] = influxd.Url.ToString(),
            ["InfluxDB__Database"] = _database,
            ["Monitor__DataDirectory"] = _root.File("data"),
            ["Monitor__SeedDirectory"] = _root.File("seed"),
            ["Monitor__DashboardsDirectory"] = _root.File("dashboards"),
            ["Auth__ApiKeys__0__Name"] = "fault",
            ["Auth__ApiKeys__0__Key"] = ApiKey,
            ["Auth__ApiKeys__0__Role"] = "Reporter",
            ["Outbox__MaxRetryDelay"] = "00:00:00.5",
            ["Outbox__LagWarning"] = LagWarning.ToString("c", CultureInfo.InvariantCulture),
            // The abuse limit is not under test here: the stream posts as fast as its pace allows.
            ["RateLimits__Observations__TokenLimit"] = "1000000",
            ["RateLimits__Observations__TokensPerPeriod"] = "1000000",
        };
        var app = await AppProcess.StartAsync(AppProcess.BesideThisAssembly(), settings, AppProcess.Serving);
        _apps.Add(app);
        Step($"app {_apps.Count} serving (process {app.Id})");
        return app;
    }

    private static HttpClient Client(AppProcess app)
    {
        var client = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>Waits for the health check to say InfluxDB is unreachable and nothing is lost; returns how many it says are queued.</summary>
    private async Task<int> AssertDegradedWithQueueAsync(AppProcess app)
    {
        string? health = null;
        await WaitUntilAsync(async () => (health = await app.HealthAsync())?.StartsWith("Degraded: InfluxDB unreachable", StringComparison.Ordinal) == true,
            "/healthz to report InfluxDB unreachable", describe: () => $"last /healthz: {health ?? "no answer"}");
        Assert.Contains("nothing lost", health, StringComparison.Ordinal);
        var queued = QueuedCount().Match(health!);
        Assert.True(queued.Success, $"/healthz does not say how many observations are queued: {health}");
        return int.Parse(queued.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until the app reports Healthy at least twice <see cref="LagWarning"/> after this is called, once the client
    /// has stopped: any batch still queued by then would be old enough to make it Degraded.
    /// </summary>
    private async Task WaitUntilDrainedAsync(AppProcess app)
    {
        var stopped = Stopwatch.StartNew();
        string? health = null;
        await WaitUntilAsync(async () => (health = await app.HealthAsync()) == "Healthy" && stopped.Elapsed > 2 * LagWarning,
            "the outbox to drain", describe: async () => $"last /healthz: {health ?? "no answer"}; {await DescribeStoredAsync()}");
        Step("drained");
    }

    private async Task AssertStoredExactlyOnceAsync()
    {
        var stored = await StoredAsync();
        Step($"{stored.Count} observations in InfluxDB, {_ledger.Answered.Count} answered 202, {_ledger.Unanswered.Count} batches without answer");
        var answered = _ledger.Answered;
        var unanswered = _ledger.Unanswered;
        var storedTimes = stored.Select(p => p.TimeMs).ToHashSet();

        var problems = new StringBuilder();
        void Report(string what, IReadOnlyCollection<long> times)
        {
            if (times.Count == 0) return;
            problems.Append(CultureInfo.InvariantCulture,
                $"{times.Count} {what} (first at {DateTimeOffset.FromUnixTimeMilliseconds(times.Min()):O}); ");
        }

        Report("readings are stored more than once", stored.GroupBy(p => p.TimeMs).Where(g => g.Count() > 1).Select(g => g.Key).ToArray());
        Report("readings answered 202 are missing", answered.Keys.Where(t => !storedTimes.Contains(t)).ToArray());
        Report("readings are stored with another value than answered 202",
            stored.Where(p => answered.TryGetValue(p.TimeMs, out var value) && value != p.Value).Select(p => p.TimeMs).ToArray());
        Report("readings are stored under another series", stored.Where(p => p.Site != Site || p.Indicator != Indicator).Select(p => p.TimeMs).ToArray());

        // A batch that got no answer may have been committed before the kill; then it is stored whole, else not at all.
        var mayBeStored = new Dictionary<long, double>();
        foreach (var batch in unanswered)
        {
            var present = batch.Count(r => storedTimes.Contains(r.TimeMs));
            if (present is not 0 && present != batch.Count) Report("readings of a batch without answer are stored, but not all of it", [batch[0].TimeMs]);
            foreach (var reading in batch) mayBeStored[reading.TimeMs] = reading.Value;
        }
        Report("readings are stored that were never sent, or sent without an answer and stored with another value",
            stored.Where(p => !answered.ContainsKey(p.TimeMs) && (!mayBeStored.TryGetValue(p.TimeMs, out var value) || value != p.Value))
                .Select(p => p.TimeMs).ToArray());

        Assert.True(answered.Count > 0, "The test sent nothing that was answered 202.");
        Assert.True(problems.Length == 0,
            $"{answered.Count} readings answered 202, {stored.Count} stored in InfluxDB: {problems}\nLast app output:\n{_apps[^1].Output}");
    }

    private sealed record StoredPoint(long TimeMs, double Value, string Site, string Indicator);

    /// <summary>Every point of the measurement, read straight from influxd.</summary>
    private async Task<IReadOnlyList<StoredPoint>> StoredAsync()
    {
        var json = await influxd.QueryAsync("SELECT \"value\", \"site\", \"indicator\" FROM \"observation\"", _database);
        var series = JsonNode.Parse(json)!["results"]![0]!["series"]?.AsArray();
        if (series is null) return [];

        var points = new List<StoredPoint>();
        foreach (var one in series)
        {
            var columns = one!["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            int Column(string name) => columns.IndexOf(name);
            foreach (var row in one["values"]!.AsArray())
            {
                points.Add(new StoredPoint(
                    row![Column("time")]!.GetValue<long>(),
                    row[Column("value")]!.GetValue<double>(),
                    row[Column("site")]!.GetValue<string>(),
                    row[Column("indicator")]!.GetValue<string>()));
            }
        }
        return points;
    }

    private async Task<long> CountStoredAsync()
    {
        try
        {
            var json = await influxd.QueryAsync("SELECT count(\"value\") FROM \"observation\"", _database);
            return JsonNode.Parse(json)!["results"]![0]!["series"]?[0]?["values"]?[0]?[1]?.GetValue<long>() ?? 0;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("database not found", StringComparison.Ordinal))
        {
            return 0;
        }
    }

    private async Task<string> DescribeStoredAsync()
    {
        try
        {
            var count = await CountStoredAsync();
            return string.Create(CultureInfo.InvariantCulture, $"{count} of {_ledger.Answered.Count} answered readings in InfluxDB");
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
        {
            return "InfluxDB does not answer: " + ex.Message;
        }
    }

    private Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? interval = null, Func<Task<string>>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            // A refused batch already fails the test: say so now rather than after waiting in vain.
            if (_ledger.Refused is [var refused, ..]) Assert.Fail($"Waiting for {what}, a batch was refused: {refused}");
            if (clock.Elapsed > Patience)
            {
                var state = describe is null ? "" : await describe();
                Assert.Fail($"Waited {Patience.TotalSeconds:0} s for {what}. {state}\nLast app output:\n{_apps.LastOrDefault()?.Output}");
            }
            if (interval != TimeSpan.Zero) await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<string> describe) =>
        WaitUntilAsync(condition, what, describe: () => Task.FromResult(describe()));

    [GeneratedRegex(@"(\d+) observations queued")]
    private static partial Regex QueuedCount();
}
