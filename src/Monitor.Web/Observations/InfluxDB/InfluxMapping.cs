using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// Observations and their versions as InfluxDB points, and back (schema: docs/influxdb-schema.md).
/// </summary>
/// <remarks>
/// InfluxDB merges the fields of a point written twice instead of replacing it, so every write carries <c>state</c>,
/// <c>source</c> and <c>note</c>, with an empty string for "none": a correction without a note clears the old one.
/// <c>value</c> cannot be cleared that way (a float field has no empty value), so a point whose <c>state</c> is set
/// reads as having no value.
/// </remarks>
public static class InfluxMapping
{
    /// <summary>The line of a current reading, tagged by site and indicator, with the sequence of the batch that recorded it.</summary>
    public static void AppendLine(StringBuilder body, Observation o, long sequence)
    {
        LineProtocol.AppendMeasurement(body, InfluxQl.Measurement);
        LineProtocol.AppendTag(body, "site", o.SiteId);
        LineProtocol.AppendTag(body, "indicator", o.IndicatorId);
        AppendReading(body, o);
        LineProtocol.AppendField(body, "batch", sequence);
        LineProtocol.AppendTimestamp(body, o.Timestamp.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// The same line as <see cref="AppendLine(StringBuilder, Observation, long)"/>, byte for byte, written as UTF-8
    /// straight into <paramref name="body"/>: the drain's hot path. The measurement and tags of each series are escaped
    /// once and kept.
    /// </summary>
    internal static void AppendLine(LineBuffer body, Observation o, long sequence)
    {
        body.Append(SeriesPrefix(o.SiteId, o.IndicatorId));
        if (o.Value is { } value)
        {
            if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(o), value, "Line protocol has no NaN or infinity.");
            body.Append(" value="u8);
            body.Append(value);
            body.Append(",state=\""u8);
        }
        else
        {
            body.Append(" state=\""u8);
        }
        body.AppendEscapedString(o.State ?? "");
        body.Append("\",source=\""u8);
        body.AppendEscapedString(o.Source ?? "");
        body.Append("\",note=\""u8);
        body.AppendEscapedString(o.Note ?? "");
        body.Append("\",batch="u8);
        body.Append(sequence);
        body.Append("i "u8);
        body.Append(o.Timestamp.ToUnixTimeMilliseconds());
        body.Append((byte)'\n');
    }

    /// <summary>Text written as is, through the general path, for lines the hot path does not write.</summary>
    internal static void Append(LineBuffer body, StringBuilder lines)
    {
        foreach (var chunk in lines.GetChunks()) body.AppendUtf8(chunk.Span);
    }

    // Series are the catalog's sites times its indicators: few, but bounded anyway in case ids churn.
    private const int CachedSeries = 100_000;
    private static readonly ConcurrentDictionary<SeriesKey, byte[]> Prefixes = new();

    /// <summary><c>observation,site=…,indicator=…</c> as UTF-8, escaped as <see cref="LineProtocol"/> escapes it.</summary>
    private static byte[] SeriesPrefix(string siteId, string indicatorId)
    {
        // A write's lines name a few series over and over, with the catalog's own id strings.
        if (RecentPrefixes.Find(siteId, indicatorId) is { } known) return known;
        var series = new SeriesKey(siteId, indicatorId);
        if (!Prefixes.TryGetValue(series, out var prefix)) prefix = AddPrefix(series);
        RecentPrefixes.Remember(siteId, indicatorId, prefix);
        return prefix;
    }

    private static readonly InstanceCache<byte[]> RecentPrefixes = new();

    private static byte[] AddPrefix(SeriesKey series)
    {
        var (siteId, indicatorId) = series;
        var text = new StringBuilder();
        LineProtocol.AppendMeasurement(text, InfluxQl.Measurement);
        LineProtocol.AppendTag(text, "site", siteId);
        LineProtocol.AppendTag(text, "indicator", indicatorId);
        var prefix = Encoding.UTF8.GetBytes(text.ToString());
        if (Prefixes.Count >= CachedSeries) Prefixes.Clear();
        Prefixes[series] = prefix;
        return prefix;
    }

    /// <summary>
    /// The line of one version in <c>observation_revision</c>: at the reading's own time, tagged also by the sequence of
    /// the batch that recorded the version, so versions of one reading are distinct points and writing one again
    /// changes nothing.
    /// </summary>
    public static void AppendRevision(StringBuilder body, ObservationVersion version)
    {
        var o = version.Reading;
        LineProtocol.AppendMeasurement(body, InfluxQl.Revisions);
        LineProtocol.AppendTag(body, "site", o.SiteId);
        LineProtocol.AppendTag(body, "indicator", o.IndicatorId);
        LineProtocol.AppendTag(body, "seq", version.Sequence.ToString(CultureInfo.InvariantCulture));
        AppendReading(body, o);
        LineProtocol.AppendField(body, "reason", version.Reason ?? "", first: false);
        LineProtocol.AppendField(body, "recorded_by", version.RecordedBy ?? "", first: false);
        LineProtocol.AppendField(body, "recorded_at", version.RecordedAt?.ToUnixTimeMilliseconds() ?? 0);
        LineProtocol.AppendField(body, "voided", version.Voided);
        LineProtocol.AppendTimestamp(body, o.Timestamp.ToUnixTimeMilliseconds());
    }

    internal static Observation ReadObservation(InfluxRow row, string siteId, string indicatorId)
    {
        var state = EmptyAsNull(row.GetString("state"));
        return new Observation(
            siteId,
            indicatorId,
            row.GetTime(),
            state is null ? row.GetDouble("value") : null,
            state,
            EmptyAsNull(row.GetString("source")),
            EmptyAsNull(row.GetString("note")));
    }

    internal static ObservationVersion ReadRevision(InfluxRow row, string siteId, string indicatorId)
    {
        var recordedAt = row.GetInt64("recorded_at");
        return new ObservationVersion(
            ReadObservation(row, siteId, indicatorId),
            long.Parse(row.GetString("seq") ?? "0", NumberStyles.None, CultureInfo.InvariantCulture),
            recordedAt == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(recordedAt),
            EmptyAsNull(row.GetString("recorded_by")),
            EmptyAsNull(row.GetString("reason")),
            row.GetBoolean("voided"));
    }

    internal static string? EmptyAsNull(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static void AppendReading(StringBuilder body, Observation o)
    {
        var first = true;
        if (o.Value is { } value)
        {
            LineProtocol.AppendField(body, "value", value, first);
            first = false;
        }
        LineProtocol.AppendField(body, "state", o.State ?? "", first);
        LineProtocol.AppendField(body, "source", o.Source ?? "", first: false);
        LineProtocol.AppendField(body, "note", o.Note ?? "", first: false);
    }
}
