using System.Diagnostics;

namespace Monitor.Bench;

/// <summary>
/// One timed load into a target: every batch sent from one or more clients, each posting its next batch as soon as its
/// last one is answered. The clock starts at the first request and stops when the last point is queryable.
/// </summary>
public static class EndToEndIngest
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Unmeasured loads (one per payload, alternately from <paramref name="clients"/> clients and from one), so the
    /// measured ones find the app running optimised code, as a server that has been up for a while does (a fresh process
    /// spends a large share of its CPU on the JIT's tier-up); then a pause for the runtime's background compilation and
    /// influxd's cache to settle. A load whose points influxd loses sight of is handed to <paramref name="lostSight"/>
    /// (if given), and the warm-up goes on: its timing is not kept anyway.
    /// </summary>
    public static async Task WarmUpAsync(
        IngestTarget target, IReadOnlyList<IngestPayloads> loads, int clients, Func<LostSightException, Task>? lostSight = null)
    {
        for (var load = 0; load < loads.Count; load++)
        {
            try
            {
                await RunAsync(target, loads[load], load % 2 == 0 ? clients : 1, round: 0);
            }
            catch (LostSightException ex) when (lostSight is not null)
            {
                await lostSight(ex);
            }
        }
        await Task.Delay(SettleTime);
    }

    public static async Task<IngestRun> RunAsync(IngestTarget target, IngestPayloads payloads, int clients, int round, BenchInfluxd? influxd = null)
    {
        if (influxd is not null) await influxd.WaitUntilIdleAsync([.. target.Processes.Values.Where(pid => pid != Environment.ProcessId)]);
        var batches = target.Bodies(payloads);
        var latencies = new double[batches.Count];
        var next = -1;
        var writtenBefore = await target.WrittenAsync();
        var cpu = CpuMeter.Start(target.Processes);
        var clock = Stopwatch.StartNew();

        async Task Client()
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                var sent = clock.Elapsed;
                await target.SendAsync(batches[i]);
                latencies[i] = (clock.Elapsed - sent).TotalMilliseconds;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        var lastAnswer = clock.Elapsed;
        var completion = await target.WaitQueryableAsync(writtenBefore + payloads.Points, payloads, clock);
        var cpuUse = cpu?.Stop();
        return new IngestRun(target.Path, clients, round, payloads.Points, completion.At, lastAnswer, completion.PendingAtStart, latencies, cpuUse);
    }
}

/// <param name="Elapsed">From the first request until the last point was queryable.</param>
/// <param name="LastAnswer">From the first request until the last batch was answered (202 or 204).</param>
/// <param name="PendingAtLastAnswer">Points answered but not yet queryable at the last answer.</param>
/// <param name="LatenciesMs">Each batch's request, until it was answered.</param>
public sealed record IngestRun(
    string Path, int Clients, int Round, int Points, TimeSpan Elapsed, TimeSpan LastAnswer, long PendingAtLastAnswer,
    IReadOnlyList<double> LatenciesMs, CpuUse? Cpu)
{
    public double PointsPerSecond => Points / Elapsed.TotalSeconds;
}
