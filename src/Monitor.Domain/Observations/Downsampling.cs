using Monitor.Domain.Catalog;

namespace Monitor.Domain.Observations;

/// <summary>
/// The one downsampling rule every store follows, so a chart looks the same whatever stores it:
/// if the range holds at most <c>maxPoints</c> readings they come back as they are; otherwise the range is cut
/// into equal buckets starting at <c>from</c>, and each non-empty bucket becomes one point stamped with its
/// start (mean/min/max/count for numbers, the last state for states).
/// </summary>
public static class Downsampling
{
    public const int MaxPointsLimit = 100_000;

    /// <summary>Bucket width in whole milliseconds, chosen so that at most <paramref name="maxPoints"/> buckets cover [from, to].</summary>
    public static TimeSpan BucketWidth(DateTimeOffset from, DateTimeOffset to, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var spanMs = Math.Max(0L, (long)(to - from).TotalMilliseconds);
        return TimeSpan.FromMilliseconds(spanMs / maxPoints + 1);
    }

    /// <summary>Reference implementation over readings sorted by time; stores that aggregate in the database must agree with it.</summary>
    public static IReadOnlyList<SeriesPoint> Downsample(IReadOnlyList<Observation> readings, SeriesQuery query, IndicatorKind kind)
    {
        if (readings.Count <= query.MaxPoints)
        {
            return readings.Select(Raw).ToArray();
        }

        var width = BucketWidth(query.From, query.To, query.MaxPoints);
        return readings
            .GroupBy(r => (r.Timestamp - query.From).Ticks / width.Ticks)
            .Select(bucket =>
            {
                var start = query.From + width * bucket.Key;
                if (kind == IndicatorKind.State)
                {
                    return new SeriesPoint(start, State: bucket.Last().State);
                }

                var values = bucket.Where(r => r.Value is not null).Select(r => r.Value!.Value).ToArray();
                return new SeriesPoint(start, values.Average(), values.Min(), values.Max(), values.Length);
            })
            .ToArray();
    }

    public static SeriesPoint Raw(Observation o) =>
        new(o.Timestamp, Value: o.Value, State: o.State, Source: o.Source, Note: o.Note);
}
