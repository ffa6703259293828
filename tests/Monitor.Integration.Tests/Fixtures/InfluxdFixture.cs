using Monitor.TestServers;

namespace Monitor.Integration.Tests.Fixtures;

/// <summary>One real influxd for the tests of a collection (see <see cref="InfluxdServer"/>).</summary>
public sealed class InfluxdFixture : InfluxdServer, IAsyncLifetime
{
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>Test classes in this collection share one influxd and run one after another, so outage tests are safe.</summary>
[CollectionDefinition(Name)]
public sealed class InfluxdCollection : ICollectionFixture<InfluxdFixture>
{
    public const string Name = "influxd";
}
