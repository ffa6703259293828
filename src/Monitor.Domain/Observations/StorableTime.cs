namespace Monitor.Domain.Observations;

/// <summary>
/// The instants Monitor stores and charts, 1900 to 2150. InfluxDB counts nanoseconds since 1970 in 64 bits, so it holds
/// 1677 to 2262 and a <c>GROUP BY time()</c> bucket may span at most 292 years: 250 years leave one bucket room for
/// the whole range. A query reaching past these ends is cut to them, since nothing can be stored outside; an exact
/// instant outside them is refused.
/// </summary>
public static class StorableTime
{
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Latest = new(2150, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateOnly EarliestDay => DateOnly.FromDateTime(Earliest.UtcDateTime);

    /// <summary>The last whole day inside the range: a day's end (the next midnight) is still storable.</summary>
    public static DateOnly LatestDay => DateOnly.FromDateTime(Latest.UtcDateTime).AddDays(-1);

    public static bool Contains(DateTimeOffset at) => at >= Earliest && at <= Latest;

    public static DateTimeOffset Clamp(DateTimeOffset at) => at < Earliest ? Earliest : at > Latest ? Latest : at;

    public static DateOnly Clamp(DateOnly day) => day < EarliestDay ? EarliestDay : day > LatestDay ? LatestDay : day;

    /// <summary>The instant <paramref name="span"/> before <paramref name="end"/>, never before the earliest storable one.</summary>
    public static DateTimeOffset Before(DateTimeOffset end, TimeSpan span) =>
        Clamp(end) - Earliest < span ? Earliest : Clamp(end) - span;

    public static string Describe() => $"between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}";
}
