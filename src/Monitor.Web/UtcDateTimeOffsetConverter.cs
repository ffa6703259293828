using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Web;

/// <summary>
/// Reads an ISO 8601 timestamp without an offset as UTC, as the query string and the seed files do. The default
/// converter would take the server's local offset, so the same text would mean another instant on another server.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var dateTime) && dateTime.Kind == DateTimeKind.Unspecified)
        {
            return new DateTimeOffset(dateTime, TimeSpan.Zero);
        }
        return reader.GetDateTimeOffset();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
