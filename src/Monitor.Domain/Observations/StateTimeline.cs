namespace Monitor.Domain.Observations;

/// <summary>A stretch of time during which a site stayed in one state.</summary>
public sealed record StateSegment(string State, DateTimeOffset From, DateTimeOffset To);

public static class StateTimeline
{
    /// <summary>
    /// Turns state readings (oldest first) into segments within [<paramref name="from"/>, <paramref name="to"/>]:
    /// a state lasts until the next different one, the last until <paramref name="to"/>. Readings before
    /// <paramref name="from"/> only tell which state the range opens in.
    /// </summary>
    public static IReadOnlyList<StateSegment> Segments(IEnumerable<SeriesPoint> points, DateTimeOffset from, DateTimeOffset to)
    {
        var segments = new List<StateSegment>();
        string? current = null;
        var start = from;
        foreach (var point in points)
        {
            if (point.State is null || point.Timestamp > to) continue;
            var at = point.Timestamp < from ? from : point.Timestamp;
            if (current is null)
            {
                (current, start) = (point.State, at);
            }
            else if (!string.Equals(point.State, current, StringComparison.Ordinal))
            {
                if (at > start) segments.Add(new StateSegment(current, start, at));
                (current, start) = (point.State, at);
            }
        }
        if (current is not null && to > start) segments.Add(new StateSegment(current, start, to));
        return segments;
    }
}
