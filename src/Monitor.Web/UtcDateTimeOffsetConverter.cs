using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Web;

/// <summary>
/// Reads an ISO 8601 timestamp without an offset as UTC, as the query string and the seed files do. The default
/// converter would take the server's local offset, so the same text would mean another instant on another server.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TryRead(ref reader, out var value) ? value : reader.GetDateTimeOffset();

    /// <summary>The timestamp in a JSON string, parsed once: with its own offset if it names one, else as UTC.</summary>
    internal static bool TryRead(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        if (!reader.ValueIsEscaped && NamesOffset(reader.ValueSpan)) return reader.TryGetDateTimeOffset(out value);
        if (!reader.TryGetDateTime(out var dateTime)) return false;
        // The text named an offset after all (escaped, or missed by the hint): read again, keeping it.
        if (dateTime.Kind != DateTimeKind.Unspecified) return reader.TryGetDateTimeOffset(out value);
        value = new DateTimeOffset(dateTime, TimeSpan.Zero);
        return true;
    }

    // A hint only (a miss costs a second parse): in ISO 8601 an offset (Z, +hh:mm or -hh:mm) follows the time, after the 'T'.
    private static bool NamesOffset(ReadOnlySpan<byte> text)
    {
        var time = text.IndexOf((byte)'T');
        return time >= 0 && text[time..].IndexOfAny("Z+-"u8) >= 0;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
