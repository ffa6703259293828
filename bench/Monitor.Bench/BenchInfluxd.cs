using Monitor.TestServers;

namespace Monitor.Bench;

/// <summary>The one influxd every path writes to, and the check that tells when its points are queryable.</summary>
public sealed class BenchInfluxd(InfluxdServer server)
{
    public InfluxdServer Server => server;

    public QueryableCount Queryable { get; } = new(server);
}
