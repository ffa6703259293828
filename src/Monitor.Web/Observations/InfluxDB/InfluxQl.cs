using System.Globalization;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// The InfluxQL this store sends. User text never enters a statement: site and indicator ids travel as bound
/// parameters (<c>$site</c>, <c>$indicator</c>) in their stored (tag-encoded) form; only numbers the store computes
/// (times, widths) and the configured database name, quoted, are written into statements.
/// </summary>
internal static class InfluxQl
{
    public const string Measurement = "observation";
    public const string Revisions = "observation_revision";

    /// <summary>The filter of one series in [from, to], both inclusive, over parameters named <c>$site{suffix}</c> and <c>$indicator{suffix}</c>.</summary>
    public static string SeriesRange(DateTimeOffset from, DateTimeOffset to, string suffix = "") =>
        $"site = $site{suffix} AND indicator = $indicator{suffix} AND time >= {Time(from)} AND time <= {Time(to)}";

    public static Dictionary<string, string> SeriesParameters(string siteId, string indicatorId, string suffix = "") => new()
    {
        ["site" + suffix] = LineProtocol.EncodeTagValue(siteId),
        ["indicator" + suffix] = LineProtocol.EncodeTagValue(indicatorId),
    };

    public static string Count(string range) => $"SELECT count(state) FROM {Measurement} WHERE {range}";

    public static string Raw(string range) => $"SELECT value, state, source, note, batch FROM {Measurement} WHERE {range} ORDER BY time ASC";

    public static string NumericBuckets(string range, long width, long offset) =>
        $"SELECT mean(value), min(value), max(value), count(value) FROM {Measurement} WHERE {range} {GroupBy(width, offset)}";

    public static string StateBuckets(string range, long width, long offset) =>
        $"SELECT last(state) FROM {Measurement} WHERE {range} {GroupBy(width, offset)}";

    public const string LatestPerIndicator = $"SELECT * FROM {Measurement} WHERE site = $site GROUP BY indicator ORDER BY time DESC LIMIT 1";

    public const string NewestPerSeries = $"SELECT last(state) FROM {Measurement} GROUP BY site, indicator";

    public const string Extent = $"SELECT first(state) FROM {Measurement}; SELECT last(state) FROM {Measurement}";

    public static string RevisionsAt(DateTimeOffset at) =>
        $"SELECT * FROM {Revisions} WHERE {SeriesRange(at, at)}";

    public static string Delete(DateTimeOffset at) =>
        $"DELETE FROM {Measurement} WHERE site = $site AND indicator = $indicator AND time = {Time(at)}";

    public static string CreateDatabase(string database) => $"CREATE DATABASE {QuoteIdentifier(database)}";

    /// <summary>
    /// InfluxDB aligns buckets to the epoch plus the offset; offsetting by <c>from</c> modulo the width starts them at
    /// <c>from</c>, as <c>Downsampling</c> does, and bucket rows are stamped with their start.
    /// </summary>
    public static long BucketOffset(long fromMs, long width) => ((fromMs % width) + width) % width;

    private static string GroupBy(long width, long offset) => $"GROUP BY time({width}ms, {offset}ms) fill(none)";

    // Integer literals with a unit are exact; times before 1970 would need a unary minus, so they go as RFC 3339 text.
    private static string Time(DateTimeOffset at)
    {
        var unixMs = at.ToUnixTimeMilliseconds();
        return unixMs >= 0
            ? unixMs.ToString(CultureInfo.InvariantCulture) + "ms"
            : "'" + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "'";
    }

    private static string QuoteIdentifier(string identifier)
    {
        if (string.IsNullOrEmpty(identifier) || identifier.Any(char.IsControl))
        {
            throw new ArgumentException("An InfluxDB database name must be non-empty text without control characters.", nameof(identifier));
        }
        return "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
