using System.Globalization;
using System.Text;
using System.Text.Json;
using Monitor.Web;

namespace Monitor.Integration.Tests.Api;

/// <summary>
/// Timestamps in request bodies: an offset the text names is kept, and a time without one is UTC, on any server; these
/// run on a server three hours ahead of UTC.
/// </summary>
[Collection(ProcessTimeZoneCollection.Name)]
public sealed class UtcDateTimeOffsetConverterTests : InBaghdadTimeZone
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new UtcDateTimeOffsetConverter() } };

    public UtcDateTimeOffsetConverterTests() => Assert.Equal(TimeSpan.FromHours(3), TimeZoneInfo.Local.BaseUtcOffset);

    [Theory]
    [InlineData("2014-06-10T06:00:00", "2014-06-10T06:00:00.0000000+00:00")]
    [InlineData("2014-06-10", "2014-06-10T00:00:00.0000000+00:00")]
    [InlineData("2014-06-10T06:00:00.25", "2014-06-10T06:00:00.2500000+00:00")]
    [InlineData("2014-06-10T06:00:00Z", "2014-06-10T06:00:00.0000000+00:00")]
    [InlineData("2014-06-10T06:00Z", "2014-06-10T06:00:00.0000000+00:00")]
    [InlineData("2014-06-10T06:00:00+00:00", "2014-06-10T06:00:00.0000000+00:00")]
    [InlineData("2014-06-10T06:00:00.1234567+03:00", "2014-06-10T06:00:00.1234567+03:00")]
    [InlineData("2014-06-10T06:00:00-05:30", "2014-06-10T06:00:00.0000000-05:30")]
    [InlineData(@"2014-06-10T06:00:00\u002B01:00", "2014-06-10T06:00:00.0000000+01:00")]
    [InlineData(@"2014\u002D06-10T06:00:00", "2014-06-10T06:00:00.0000000+00:00")]
    public void Reads_the_instant_and_the_offset_the_text_names(string text, string expected)
    {
        var read = JsonSerializer.Deserialize<DateTimeOffset>($"\"{text}\"", Options);

        Assert.Equal(expected, read.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("\"last tuesday\"")]
    [InlineData("\"2014-06-10T25:00:00Z\"")]
    [InlineData("1402000000")]
    public void Refuses_what_is_not_a_timestamp(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>(json, Options));
    }

    [Fact]
    public void Reads_the_same_through_the_reader_as_through_the_serializer()
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("\"2014-06-10T06:00:00+03:00\""));
        reader.Read();

        Assert.True(UtcDateTimeOffsetConverter.TryRead(ref reader, out var read));
        Assert.Equal(JsonSerializer.Deserialize<DateTimeOffset>("\"2014-06-10T06:00:00+03:00\"", Options), read);
        Assert.Equal(TimeSpan.FromHours(3), read.Offset);
    }
}
