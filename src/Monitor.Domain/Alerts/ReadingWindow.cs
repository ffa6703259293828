namespace Monitor.Domain.Alerts;

/// <summary>
/// The recent numeric readings of one series, in time order, kept for the spike baseline: the median of the readings
/// in the window before a new one. Readings older than <see cref="Span"/> before the newest are let go.
/// </summary>
public sealed class ReadingWindow(TimeSpan span)
{
    private readonly List<(DateTimeOffset At, double Value)> _readings = [];

    public TimeSpan Span { get; private set; } = span;

    /// <summary>Keeps at least this much history from now on (a rule with a longer baseline was added).</summary>
    public void Widen(TimeSpan span)
    {
        if (span > Span) Span = span;
    }

    /// <summary>Adds or replaces the reading at <paramref name="at"/>; a void removes it (value null).</summary>
    public void Set(DateTimeOffset at, double? value)
    {
        var index = _readings.FindIndex(r => r.At >= at);
        if (index >= 0 && _readings[index].At == at) _readings.RemoveAt(index);
        else if (index < 0) index = _readings.Count;
        if (value is { } v) _readings.Insert(index, (at, v));

        var cutoff = _readings.Count == 0 ? at : _readings[^1].At - Span;
        var old = _readings.FindIndex(r => r.At >= cutoff);
        if (old > 0) _readings.RemoveRange(0, old);
    }

    /// <summary>The median of the readings in [<paramref name="at"/> − <paramref name="window"/>, <paramref name="at"/>).</summary>
    public double? MedianBefore(DateTimeOffset at, TimeSpan window)
    {
        var from = at - window;
        return RuleCondition.Median(_readings.Where(r => r.At >= from && r.At < at).Select(r => r.Value));
    }
}
