namespace Monitor.Web.Components.Controls.Readings;

/// <summary>
/// Re-renders what shows ages ("3 h ago") and freshness once a minute, so a page left open does not keep saying a
/// reading is fresh after it has become overdue.
/// </summary>
public sealed class AgeClock : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ITimer _timer;

    public AgeClock(TimeProvider time, Func<Task> refresh) =>
        _timer = time.CreateTimer(_ => _ = refresh(), null, Interval, Interval);

    public void Dispose() => _timer.Dispose();
}
