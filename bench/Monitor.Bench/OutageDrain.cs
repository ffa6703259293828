using Monitor.TestServers;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitor.Bench;

/// <summary>
/// The outbox after an outage: influxd is stopped while the scenario keeps arriving, spread evenly over the outage,
/// then restarted; timed is how fast the queued observations become queryable once influxd answers again.
/// </summary>
public sealed partial class OutageDrain(BenchOptions options, Scenario scenario, BenchInfluxd influxd, HttpClient http)
{
    public const string Database = "drain";

    /// <summary>The drain's longest wait between attempts while influxd is down: short, so the retry timer does not dominate.</summary>
    public const string MaxRetryDelay = "00:00:00.5";

    private static readonly TimeSpan PollPause = TimeSpan.FromMilliseconds(20);

    private readonly IngestPayloads _payloads = IngestPayloads.Build(scenario, options.BatchSize, Scenario.IndicatorId);

    /// <summary>Settings for the app under test: the short retry delay, and room in the outbox for the whole scenario.</summary>
    public Dictionary<string, string> AppSettings() => new()
    {
        ["Outbox__MaxRetryDelay"] = MaxRetryDelay,
        ["Outbox__MaxBacklog"] = Math.Max(500_000, _payloads.Points + options.BatchSize).ToString(CultureInfo.InvariantCulture),
    };

    public async Task<DrainRun> RunAsync(AppProcess app)
    {
        var target = new ApiTarget(http, app, influxd, Database);
        await EndToEndIngest.WarmUpAsync(target, IngestPayloads.Warmups(scenario, options.BatchSize), clients: 1, influxd.RestartAsync);
        var batches = target.Bodies(_payloads);

        // The drain then writes into an empty database, as every ingest run does: influxd, restarted, would otherwise
        // load and compact the warm-up loads while it takes the drain's writes (twice its CPU per point).
        await influxd.WaitUntilIdleAsync();
        await influxd.Server.DropDatabaseAsync(Database);
        await influxd.Server.CreateDatabaseAsync(Database);
        await influxd.Server.StopAsync();
        var outage = TimeSpan.FromSeconds(options.OutageSeconds);
        var outageClock = Stopwatch.StartNew();
        var latencies = new List<double>(batches.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            var due = outage * i / batches.Count;
            if (due > outageClock.Elapsed) await Task.Delay(due - outageClock.Elapsed);
            var sent = outageClock.Elapsed;
            await target.SendAsync(batches[i]);
            latencies.Add((outageClock.Elapsed - sent).TotalMilliseconds);
        }
        var postedIn = outageClock.Elapsed;
        if (outage > outageClock.Elapsed) await Task.Delay(outage - outageClock.Elapsed);
        var healthDuringOutage = await app.HealthAsync() ?? "no answer";
        var queued = QueuedIn(healthDuringOutage)
            ?? throw new InvalidOperationException($"/healthz did not report a backlog during the outage: {healthDuringOutage}");

        await influxd.Server.StartAsync();
        var clock = Stopwatch.StartNew();
        var cpu = CpuMeter.Start(target.Processes);
        // influxd's write counters start from zero again, so from here they count exactly the queued points.
        var (firstPointsAt, writtenAtFirstPoints) = await FirstWritesAsync(clock);
        var completion = await influxd.Queryable.WaitAsync(Database, queued, _payloads.IndicatorId, _payloads.Points, clock);
        var allQueryableAt = completion.At;
        var cpuUse = cpu?.Stop();
        while (await app.HealthAsync() != "Healthy") await Task.Delay(PollPause);
        var healthyAt = clock.Elapsed;

        return new DrainRun(outage, postedIn, latencies, queued, healthDuringOutage, firstPointsAt, queued - writtenAtFirstPoints, allQueryableAt,
            healthyAt, cpuUse);
    }

    /// <summary>When influxd wrote the first queued points after its restart, and how many it had by then.</summary>
    private async Task<(TimeSpan At, long Written)> FirstWritesAsync(Stopwatch clock)
    {
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            var sent = clock.Elapsed;
            var written = await influxd.Queryable.WrittenAsync(Database);
            if (written > 0) return (sent, written);
            await Task.Delay(PollPause);
        }
        throw new TimeoutException("The outbox wrote nothing within 10 minutes of influxd answering again.");
    }

    private static long? QueuedIn(string health) =>
        QueuedPattern().Match(health) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"(\d+) observations queued")]
    private static partial Regex QueuedPattern();
}

/// <param name="PostedIn">How long the paced posts took during the outage (all answered 202).</param>
/// <param name="OutageLatenciesMs">Each post's time to 202 during the outage: the accept path alone, no drain or influxd at work.</param>
/// <param name="Queued">The backlog /healthz reported at the end of the outage.</param>
/// <param name="FirstPointsAt">From influxd answering again until the first queued points were queryable.</param>
/// <param name="PendingAtFirstPoints">Points still to come at <paramref name="FirstPointsAt"/>.</param>
/// <param name="AllQueryableAt">From influxd answering again until the last queued point was queryable.</param>
/// <param name="HealthyAt">From influxd answering again until /healthz said Healthy.</param>
public sealed record DrainRun(
    TimeSpan Outage, TimeSpan PostedIn, IReadOnlyList<double> OutageLatenciesMs, long Queued, string HealthDuringOutage, TimeSpan FirstPointsAt,
    long PendingAtFirstPoints, TimeSpan AllQueryableAt, TimeSpan HealthyAt, CpuUse? Cpu)
{
    /// <summary>Observations per second from influxd answering again until the backlog was queryable.</summary>
    public double Rate => Queued / AllQueryableAt.TotalSeconds;

    /// <summary>The same once writes flowed, without the wait for the drain's next attempt.</summary>
    public double FlowingRate => AllQueryableAt > FirstPointsAt ? PendingAtFirstPoints / (AllQueryableAt - FirstPointsAt).TotalSeconds : Rate;
}
