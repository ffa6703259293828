using System.Buffers;
using System.Globalization;
using System.Text;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// Writes InfluxDB line protocol (<c>measurement,tag=v,… field=v,… timestamp</c>) so that any text survives it.
/// </summary>
/// <remarks>
/// Tag values get more than the documented escaping. InfluxDB 1.x unescapes only <c>\,</c>, <c>\=</c> and <c>\ </c>
/// in tags: a backslash is kept literally (so <c>\\</c> reads back doubled and a trailing backslash breaks the line)
/// and a line break ends the line whatever precedes it. Tag values are therefore percent-encoded first for
/// <c>%</c>, <c>\</c> and control characters only (<see cref="EncodeTagValue"/>); ids made of ordinary text are
/// stored as they are. String fields carry every character once <c>"</c> and <c>\</c> are escaped, line breaks
/// included (the parser does not end a line inside a quoted string).
/// </remarks>
internal static class LineProtocol
{
    private static readonly SearchValues<char> NeedsEncoding = SearchValues.Create(
        Enumerable.Range(0, 0x100).Select(i => (char)i).Where(c => c is '%' or '\\' || char.IsControl(c)).ToArray());

    /// <summary>Appends a measurement name; commas and spaces are escaped.</summary>
    public static void AppendMeasurement(StringBuilder line, string measurement)
    {
        RequireRepresentableName(measurement, nameof(measurement));
        AppendEscaped(line, measurement, escapeEquals: false);
    }

    /// <summary>Appends <c>,key=value</c>; the value is encoded with <see cref="EncodeTagValue"/>, then escaped.</summary>
    public static void AppendTag(StringBuilder line, string key, string value)
    {
        RequireRepresentableName(key, nameof(key));
        if (string.IsNullOrEmpty(value))
        {
            // Line protocol has no empty tag value: the point would be refused, or stored without the tag.
            throw new ArgumentException($"Tag '{key}' needs a non-empty value.", nameof(value));
        }

        line.Append(',');
        AppendEscaped(line, key, escapeEquals: true);
        line.Append('=');
        AppendEscaped(line, EncodeTagValue(value), escapeEquals: true);
    }

    /// <summary>Appends a float field. Always written with a decimal or exponent form and never an <c>i</c> suffix,
    /// so the field stays a float even when the value is whole.</summary>
    public static void AppendField(StringBuilder line, string key, double value, bool first)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Line protocol has no NaN or infinity.");
        }

        AppendFieldKey(line, key, first);
        line.Append(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Appends an integer field (<c>i</c> suffix), never the first field of a line.</summary>
    public static void AppendField(StringBuilder line, string key, long value)
    {
        AppendFieldKey(line, key, first: false);
        line.Append(value.ToString(CultureInfo.InvariantCulture)).Append('i');
    }

    /// <summary>Appends a boolean field, never the first field of a line.</summary>
    public static void AppendField(StringBuilder line, string key, bool value)
    {
        AppendFieldKey(line, key, first: false);
        line.Append(value ? "true" : "false");
    }

    /// <summary>Appends a string field: double-quoted, with <c>"</c> and <c>\</c> escaped.</summary>
    public static void AppendField(StringBuilder line, string key, string value, bool first)
    {
        AppendFieldKey(line, key, first);
        line.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') line.Append('\\');
            line.Append(c);
        }
        line.Append('"');
    }

    /// <summary>Ends the line with its timestamp, in whatever precision the write request names.</summary>
    public static void AppendTimestamp(StringBuilder line, long timestamp) =>
        line.Append(' ').Append(timestamp.ToString(CultureInfo.InvariantCulture)).Append('\n');

    /// <summary>
    /// The form a tag value is stored in: <c>%</c>, <c>\</c> and control characters become <c>%XX</c>, everything else
    /// is kept. Queries compare tags against this form, so bound parameters must be encoded the same way.
    /// </summary>
    public static string EncodeTagValue(string value)
    {
        if (!value.AsSpan().ContainsAny(NeedsEncoding)) return value;

        var encoded = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEncoding.Contains(c))
            {
                // Every character encoded here is below U+0100, so two hex digits hold it.
                encoded.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                encoded.Append(c);
            }
        }
        return encoded.ToString();
    }

    /// <summary>Reverses <see cref="EncodeTagValue"/>.</summary>
    public static string DecodeTagValue(string stored)
    {
        if (!stored.Contains('%')) return stored;

        var decoded = new StringBuilder(stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] == '%' && i + 2 < stored.Length
                && int.TryParse(stored.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                decoded.Append((char)code);
                i += 2;
            }
            else
            {
                // Not written by this encoder (another client's data): keep it as it is.
                decoded.Append(stored[i]);
            }
        }
        return decoded.ToString();
    }

    private static void AppendFieldKey(StringBuilder line, string key, bool first)
    {
        RequireRepresentableName(key, nameof(key));
        line.Append(first ? ' ' : ',');
        AppendEscaped(line, key, escapeEquals: true);
        line.Append('=');
    }

    private static void AppendEscaped(StringBuilder line, string text, bool escapeEquals)
    {
        foreach (var c in text)
        {
            if (c is ',' or ' ' || (escapeEquals && c == '=')) line.Append('\\');
            line.Append(c);
        }
    }

    // Names are the schema's own constants; fail loudly rather than encode them behind the reader's back.
    private static void RequireRepresentableName(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => c == '\\' || char.IsControl(c)))
        {
            throw new ArgumentException($"'{name}' cannot be a line-protocol name: it is empty or holds a backslash or a control character.", parameter);
        }
    }
}
