using System.Globalization;
using System.Text;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.InfluxDB;

namespace Monitor.Integration.Tests.Stores;

/// <summary>The exact text written; that influxd reads it back unchanged is proven by the store contract.</summary>
public sealed class LineProtocolTests
{
    [Fact]
    public void A_point_escapes_each_part_by_its_own_rules()
    {
        var line = new StringBuilder();

        LineProtocol.AppendMeasurement(line, "obs, v2=x");
        LineProtocol.AppendTag(line, "site id", "Tal Afar,Nineveh=north");
        LineProtocol.AppendField(line, "value", 5.0, first: true);
        LineProtocol.AppendField(line, "note", "say \"hi\" C:\\ ,= \n", first: false);
        LineProtocol.AppendTimestamp(line, 1402358400123);

        Assert.Equal("obs\\,\\ v2=x,site\\ id=Tal\\ Afar\\,Nineveh\\=north value=5,note=\"say \\\"hi\\\" C:\\\\ ,= \n\" 1402358400123\n", line.ToString());
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(42.0, "42")]
    [InlineData(-12.5, "-12.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e20, "1E+20")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157E+308")]
    public void Floats_are_written_invariant_round_trippable_and_without_an_integer_suffix(double value, string expected)
    {
        var line = new StringBuilder();

        LineProtocol.AppendField(line, "value", value, first: true);

        Assert.Equal(" value=" + expected, line.ToString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Values_line_protocol_cannot_carry_are_refused(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LineProtocol.AppendField(new StringBuilder(), "value", value, first: true));
    }

    [Fact]
    public void An_empty_tag_value_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LineProtocol.AppendTag(new StringBuilder(), "site", ""));
    }

    [Theory]
    [InlineData("mosul", "mosul")]
    [InlineData("fuel.stations_open_pct", "fuel.stations_open_pct")]
    [InlineData("الموصل", "الموصل")]
    [InlineData("a\\b", "a%5Cb")]
    [InlineData("100%", "100%25")]
    [InlineData("two\nlines\r\t", "two%0Alines%0D%09")]
    public void Tag_values_are_percent_encoded_only_where_line_protocol_cannot_carry_them(string value, string stored)
    {
        Assert.Equal(stored, LineProtocol.EncodeTagValue(value));
        Assert.Equal(value, LineProtocol.DecodeTagValue(stored));
    }

    [Fact]
    public void Every_hostile_id_survives_encoding_and_decoding()
    {
        foreach (var text in ObservationStoreContract.Hostile.Values.Append("%%%5C\\%\u0085\u007f"))
        {
            var stored = LineProtocol.EncodeTagValue(text);

            Assert.DoesNotContain(stored, c => c == '\\' || char.IsControl(c));
            Assert.Equal(text, LineProtocol.DecodeTagValue(stored));
        }
    }

    public static TheoryData<Observation> Readings => new()
    {
        new Observation("mosul", "fuel.stations_open_pct", new DateTimeOffset(2014, 6, 10, 6, 0, 0, TimeSpan.Zero), 12.5, null, "field team", null),
        new Observation("mosul", "fuel.stations_open_pct", new DateTimeOffset(2014, 6, 10, 6, 0, 0, 123, TimeSpan.Zero), 42, null, null, "a \"note\"\\ with\nlines, commas = signs"),
        new Observation("tal afar,north=1", "x%y\\z", new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero), -0.1, null, "ünïcødé 🚧", "\t"),
        new Observation("al-qaim", "crossing.status", new DateTimeOffset(2014, 6, 21, 0, 0, 0, TimeSpan.Zero), null, "closed", "wire", ""),
        new Observation("baiji", "refinery.status", new DateTimeOffset(2014, 6, 18, 0, 0, 0, TimeSpan.Zero), null, "re\"duced\\", null, null),
        new Observation("a", "b", DateTimeOffset.UnixEpoch.AddMilliseconds(-1), 1.7976931348623157e308, null, new string('s', 200), new string('n', 4_000)),
    };

    [Theory]
    [MemberData(nameof(Readings))]
    public void The_drain_writes_the_same_bytes_as_the_text_form(Observation reading)
    {
        var text = new StringBuilder();
        InfluxMapping.AppendLine(text, reading, 1234);
        using var bytes = new LineBuffer(16);

        InfluxMapping.AppendLine(bytes, reading, 1234);
        InfluxMapping.AppendLine(bytes, reading, 1234);

        var once = Encoding.UTF8.GetBytes(text.ToString());
        Assert.Equal([.. once, .. once], bytes.Written.ToArray());
    }
    /// <summary>Values of a few decimals take a shortcut; every value must still read exactly as "R" writes it.</summary>
    [Fact]
    public void The_drain_writes_every_float_as_round_trip_text()
    {
        var random = new Random(20140610);
        var values = new List<double> { -0.0, 0.001, -0.001, 0.5, 999_999_999.999, -999_999_999.999, 1e9, 0.1 + 0.2, 1234.5678, 1e-7 };
        for (var i = 0; i < 200_000; i++)
        {
            var decimals = random.Next(0, 7);
            var scale = Math.Pow(10, random.Next(0, 12));
            values.Add(Math.Round((random.NextDouble() - 0.5) * scale, decimals));
            values.Add((random.NextDouble() - 0.5) * scale);
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()) is var bits && double.IsFinite(bits) ? bits : 1);
        }
        using var bytes = new LineBuffer(16);

        foreach (var value in values)
        {
            bytes.Clear();
            bytes.Append(value);
            var written = Encoding.UTF8.GetString(bytes.Written);
            if (written != value.ToString("R", CultureInfo.InvariantCulture))
                Assert.Fail($"{value.ToString("R", CultureInfo.InvariantCulture)} was written as {written}");
        }
    }
}
