using Monitor.AlertListener;

namespace Monitor.Integration.Tests.Alerts;

/// <summary><c>monitor-alerts</c> run in this process through its library entry point, its output and status recorded.</summary>
internal sealed class RunningListener : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;

    private RunningListener(ListenerOptions options)
    {
        _run = Task.Run(() => new Listener(options, Output, Status).RunAsync(_stop.Token));
    }

    public LineRecorder Output { get; } = new();

    public LineRecorder Status { get; } = new();

    /// <summary>Starts a listener as <c>monitor-alerts --url server args…</c> would.</summary>
    public static RunningListener Start(Uri server, string apiKey, params string[] args)
    {
        var parsed = ListenerOptions.Parse(["--url", server.ToString(), "--api-key", apiKey, .. args], _ => null);
        Assert.True(parsed.Options is not null, parsed.Error);
        return new RunningListener(parsed.Options);
    }

    /// <summary>Waits until the listener has caught up on its <paramref name="connection"/>-th connection.</summary>
    public Task CaughtUpAsync(int connection = 1) => AlertScenario.WaitUntilAsync(
        () => _run.IsCompleted || Status.Lines.Count(l => l.Contains("up to date", StringComparison.Ordinal)) >= connection,
        $"the listener to catch up on connection {connection}", TimeSpan.FromSeconds(60), () => "Its status:\n" + Status);

    /// <summary>Waits until it has printed at least <paramref name="count"/> lines.</summary>
    public Task PrintedAsync(int count) => AlertScenario.WaitUntilAsync(
        () => Output.Lines.Count >= count, $"{count} printed lines", TimeSpan.FromSeconds(60),
        () => $"Printed:\n{Output}\nStatus:\n{Status}");

    /// <summary>Stops it as Ctrl+C does; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted) await StopAsync();
        _stop.Dispose();
    }
}
