using Monitor.Browser.Tests.Fixtures;

namespace Monitor.Browser.Tests.Report;

/// <summary>
/// A server of the report tests' own: their readings are taken "now", which would move every shared dashboard off the
/// scenario's dates for the other browser tests.
/// </summary>
public sealed class ReportServer : IAsyncLifetime
{
    public MonitorServer Server { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
