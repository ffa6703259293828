namespace Monitor.AlertListener;

/// <summary>
/// How long to wait before reconnect attempt <c>n</c>: doubling from <see cref="First"/> up to <see cref="Cap"/>, each
/// delay drawn between half and all of that ("equal jitter"), so that many listeners cut off by one server restart do
/// not all come back in the same instant.
/// </summary>
public static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <param name="attempt">1 for the first retry after a connection was lost or refused.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, double random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(Cap.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * Math.Clamp(random, 0, 1));
    }
}
