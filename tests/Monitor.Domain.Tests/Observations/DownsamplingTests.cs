using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Observations;

public sealed class DownsamplingTests
{
    private static readonly DateTimeOffset From = new(2014, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static Observation Reading(DateTimeOffset at, double value, string? source = null, string? note = null) =>
        new("mosul", "fuel.stations_open_pct", at, value, null, source, note);

    private static Observation StateReading(DateTimeOffset at, string state) =>
        new("baiji-refinery", "refinery.status", at, null, state, null, null);

    private static SeriesQuery Query(DateTimeOffset from, DateTimeOffset to, int maxPoints) =>
        new("mosul", "fuel.stations_open_pct", from, to, maxPoints);

    [Fact]
    public void Readings_that_fit_come_back_unchanged_with_source_and_note()
    {
        var readings = new[]
        {
            Reading(From.AddHours(1), 10, "team a", "queue, 2 km"),
            Reading(From.AddHours(2), 20),
            Reading(From.AddHours(3), 30, note: "line\nbreak"),
        };

        var points = Downsampling.Downsample(readings, Query(From, From.AddDays(1), maxPoints: 3), IndicatorKind.Numeric);

        Assert.Equal(
            [
                new SeriesPoint(From.AddHours(1), Value: 10, Source: "team a", Note: "queue, 2 km"),
                new SeriesPoint(From.AddHours(2), Value: 20),
                new SeriesPoint(From.AddHours(3), Value: 30, Note: "line\nbreak"),
            ],
            points);
        Assert.All(points, p => Assert.Null(p.Count));
    }

    [Fact]
    public void Raw_state_readings_keep_their_state()
    {
        var readings = new[] { StateReading(From.AddHours(1), "operating"), StateReading(From.AddHours(2), "offline") };

        var points = Downsampling.Downsample(readings, Query(From, From.AddDays(1), maxPoints: 10), IndicatorKind.State);

        Assert.Equal(["operating", "offline"], points.Select(p => p.State));
        Assert.All(points, p => Assert.Null(p.Value));
    }

    [Fact]
    public void No_readings_give_no_points()
    {
        Assert.Empty(Downsampling.Downsample([], Query(From, From.AddDays(1), maxPoints: 1), IndicatorKind.Numeric));
    }

    [Fact]
    public void One_reading_more_than_max_points_is_bucketed()
    {
        var readings = Enumerable.Range(0, 4).Select(i => Reading(From.AddHours(i), i)).ToArray();

        var points = Downsampling.Downsample(readings, Query(From, From.AddHours(4), maxPoints: 3), IndicatorKind.Numeric);

        Assert.InRange(points.Count, 1, 3);
        Assert.All(points, p => Assert.NotNull(p.Count));
        Assert.Equal(4, points.Sum(p => p.Count));
    }

    [Fact]
    public void Numeric_bucket_holds_mean_min_max_and_count()
    {
        var readings = new[]
        {
            Reading(From.AddMinutes(1), 10, "dropped in buckets"),
            Reading(From.AddMinutes(2), 40),
            Reading(From.AddMinutes(3), 25),
            Reading(From.AddHours(13), 70),
        };

        var points = Downsampling.Downsample(readings, Query(From, From.AddDays(1), maxPoints: 2), IndicatorKind.Numeric);

        Assert.Equal(2, points.Count);
        Assert.Equal(new SeriesPoint(From, Value: 25, Min: 10, Max: 40, Count: 3), points[0]);
        Assert.Equal(70, points[1].Value);
        Assert.Equal(70, points[1].Min);
        Assert.Equal(70, points[1].Max);
        Assert.Equal(1, points[1].Count);
        Assert.All(points, p => Assert.Null(p.Source));
    }

    [Fact]
    public void State_bucket_holds_the_last_state_of_the_bucket()
    {
        var readings = new[]
        {
            StateReading(From.AddMinutes(1), "operating"),
            StateReading(From.AddMinutes(2), "offline"),
            StateReading(From.AddMinutes(3), "reduced"),
            StateReading(From.AddHours(20), "offline"),
        };

        var points = Downsampling.Downsample(readings, Query(From, From.AddDays(1), maxPoints: 2), IndicatorKind.State);

        Assert.Equal(["reduced", "offline"], points.Select(p => p.State));
        Assert.All(points, p => Assert.Null(p.Value));
    }

    [Fact]
    public void Empty_buckets_are_left_out()
    {
        var to = From.AddDays(1);
        var readings = new[]
        {
            Reading(From, 1), Reading(From.AddMinutes(1), 2), Reading(From.AddMinutes(2), 3), Reading(From.AddMinutes(3), 4),
            Reading(From.AddHours(23), 5),
        };
        var width = Downsampling.BucketWidth(From, to, 4);

        var points = Downsampling.Downsample(readings, Query(From, to, maxPoints: 4), IndicatorKind.Numeric);

        Assert.Equal([From, From + width * 3], points.Select(p => p.Timestamp));
        Assert.Equal([4, 1], points.Select(p => p.Count));
    }

    [Fact]
    public void Reading_exactly_at_the_end_of_the_range_stays_within_max_points()
    {
        var to = From.AddSeconds(10);
        var readings = Enumerable.Range(0, 11).Select(i => Reading(From.AddSeconds(i), i)).ToArray();

        var points = Downsampling.Downsample(readings, Query(From, to, maxPoints: 10), IndicatorKind.Numeric);

        Assert.Equal(10, points.Count);
        Assert.Equal(11, points.Sum(p => p.Count));
        Assert.Equal(10, points[^1].Max);
        Assert.True(points[^1].Timestamp < to);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 3)]
    [InlineData(1_000, 17)]
    [InlineData(86_400, 1_000)]
    [InlineData(10, 10)]
    [InlineData(3_600, 3_600)]
    [InlineData(86_399, 4_999)]
    [InlineData(3_600 * 24 * 365, 4_321)]
    public void Bucket_count_never_exceeds_max_points(int spanSeconds, int maxPoints)
    {
        var to = From.AddSeconds(spanSeconds);
        var step = Math.Max(1, spanSeconds / 5_000);
        var readings = Enumerable.Range(0, spanSeconds / step + 1)
            .Select(i => From.AddSeconds((long)i * step))
            .Append(to)
            .Distinct()
            .Select(t => Reading(t, 1))
            .ToArray();

        var points = Downsampling.Downsample(readings, Query(From, to, maxPoints), IndicatorKind.Numeric);

        Assert.InRange(points.Count, 1, maxPoints);
        Assert.Equal(readings.Length, points.Sum(p => p.Count ?? 1));
    }

    [Fact]
    public void Bucket_starts_are_aligned_to_the_start_of_the_range()
    {
        var from = From.AddMilliseconds(137);
        var to = from.AddDays(3);
        var readings = Enumerable.Range(0, 500).Select(i => Reading(from.AddMinutes(i * 8.6), i % 100)).ToArray();
        var width = Downsampling.BucketWidth(from, to, 50);

        var points = Downsampling.Downsample(readings, Query(from, to, maxPoints: 50), IndicatorKind.Numeric);

        Assert.Equal(from, points[0].Timestamp);
        Assert.All(points, p => Assert.Equal(0, (p.Timestamp - from).Ticks % width.Ticks));
        Assert.Equal(points.Select(p => p.Timestamp).Order(), points.Select(p => p.Timestamp));
        foreach (var point in points)
        {
            var inBucket = readings.Where(r => r.Timestamp >= point.Timestamp && r.Timestamp < point.Timestamp + width).ToArray();
            Assert.Equal(inBucket.Length, point.Count);
            Assert.Equal(inBucket.Min(r => r.Value), point.Min);
            Assert.Equal(inBucket.Max(r => r.Value), point.Max);
        }
    }

    [Fact]
    public void Bucket_width_is_whole_milliseconds_and_covers_the_range()
    {
        var to = From.AddDays(30).AddTicks(3_333);

        var width = Downsampling.BucketWidth(From, to, 997);

        Assert.Equal(0, width.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.True(width * 997 > to - From);
    }

    [Fact]
    public void Bucket_width_of_an_empty_range_is_one_millisecond()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1), Downsampling.BucketWidth(From, From, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Bucket_width_needs_at_least_one_point(int maxPoints)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Downsampling.BucketWidth(From, From.AddDays(1), maxPoints));
    }
}
