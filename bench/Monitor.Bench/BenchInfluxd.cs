using Monitor.TestServers;

namespace Monitor.Bench;

/// <summary>The one influxd every path writes to, and the check that tells when its points are queryable.</summary>
public sealed class BenchInfluxd(InfluxdServer server)
{
    // influxd snapshots its cache and compacts shards in the background for a while after a large load.
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleAtMost = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public InfluxdServer Server => server;

    public QueryableCount Queryable { get; } = new(server);

    /// <summary>Restarts influxd after it lost sight of points it confirmed: the restart shows them again.</summary>
    public async Task RestartAsync(LostSightException lost)
    {
        Console.WriteLine($"  {lost.Message} Restarting influxd, which shows them again.");
        await server.StopAsync();
        await server.StartAsync();
    }

    /// <summary>
    /// Waits until influxd, and each of <paramref name="others"/> (the app), has used at most 5% of a core for a whole
    /// second (or two minutes have passed): work left over from one run (influxd's compactions, the app's outbox
    /// checkpoint or a collection) would otherwise be paid by the next, whichever path that is.
    /// </summary>
    public async Task WaitUntilIdleAsync(params IReadOnlyList<int> others)
    {
        if (server.ProcessId is not { } influxd || !File.Exists("/proc/stat")) return;
        var pids = others.Prepend(influxd).Distinct().ToArray();
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (DateTime.UtcNow < deadline)
        {
            var before = pids.Select(CpuMeter.ProcessTicks).ToArray();
            await Task.Delay(IdleWindow);
            if (pids.Select((pid, i) => CpuMeter.ToTime(CpuMeter.ProcessTicks(pid) - before[i])).All(used => used <= IdleAtMost)) return;
        }
    }
}
