using Monitor.TestServers;

namespace Monitor.Bench;

/// <summary>The one influxd every path writes to, and the check that tells when its points are queryable.</summary>
public sealed class BenchInfluxd(InfluxdServer server)
{
    // influxd snapshots its cache and compacts shards in the background for a while after a large load; a run that
    // started then would pay for the one before it.
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleAtMost = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public InfluxdServer Server => server;

    public QueryableCount Queryable { get; } = new(server);

    /// <summary>Waits until influxd has used at most 5% of a core for a whole second (or two minutes have passed).</summary>
    public async Task WaitUntilIdleAsync()
    {
        if (server.ProcessId is not { } pid || !File.Exists("/proc/stat")) return;
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (DateTime.UtcNow < deadline)
        {
            var before = CpuMeter.ProcessTicks(pid);
            await Task.Delay(IdleWindow);
            if (CpuMeter.ToTime(CpuMeter.ProcessTicks(pid) - before) <= IdleAtMost) return;
        }
    }
}
