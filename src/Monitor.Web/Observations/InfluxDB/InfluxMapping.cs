using System.Globalization;
using System.Text;
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
