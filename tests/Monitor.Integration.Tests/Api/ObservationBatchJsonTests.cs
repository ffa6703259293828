using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using System.Globalization;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Catalog;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Ingest;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

/// <summary>
/// The direct reader of observation batches must read every body it takes exactly as the serializer with the app's own
/// options does, and leave every other body (and so every error) to the serializer.
/// </summary>
public sealed class ObservationBatchJsonTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private JsonSerializerOptions Options => app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public static TheoryData<string> Taken => new()
    {
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":41.5,"timestamp":"2014-06-10T06:00:00Z","source":"field team","note":"queues\tshort"}]""",
        """[{"siteId":"baiji","indicatorId":"refinery.status","state":"reduced","timestamp":"2014-06-10T06:00:00.1234567+03:00"}]""",
        """[{"siteId":"mosul","indicatorId":"x","value":1,"timestamp":"2014-06-10T06:00:00"}, null, {"value":null,"state":null,"note":null}]""",
        """ [ {"indicatorId":"x","siteId":"mosul","value":-1.5e3,"source":"caf\u00e9 \"quoted\"","timestamp":null} ] """,
        """[{"siteId":"a","value":0.1},{"siteId":"a","value":1E-7},{"siteId":"a","value":12345678901234567890}]""",
        """[]""",
        """[{}]""",
        """[{"siteId":"s","source":"same"},{"siteId":"s","source":"same"},{"siteId":"t","source":"same"}]""",
        """[{"siteId":"mosul","value":1e400}]""",
        """[{"siteId":"s","timestamp":"2014-06-10"},{"siteId":"s","timestamp":"2014-06-10T06:00Z"}]""",
        // Members in another order, fewer or more of them, or spaced otherwise than in the item before.
        """[{"siteId":"a","value":1,"note":"x"},{"value":2,"siteId":"b"},{"note":"y","siteId":"c","value":3,"state":"s"},{ "note" : "z" }]""",
    };

    public static TheoryData<string> Declined => new()
    {
        // Shapes the serializer reads its own way (or refuses): each answered exactly as before.
        """[{"SiteId":"mosul"}]""",
        """[{"site\u0049d":"mosul"}]""",
        """[{"siteId":"mosul","siteId":"tal-afar"}]""",
        """[{"siteId":"mosul","value":1},{"siteId":"mosul","siteId":"tal-afar"}]""",
        """[{"siteId":"mosul"},{"siteIdx":"mosul"}]""",
        """[{"siteId":"mosul","extra":{"a":[1]}}]""",
        """[{"siteId":"mosul","value":"42"}]""",
        """[{"siteId":"mosul","value":true}]""",
        """[{"siteId":5}]""",
        """[{"siteId":"mosul","timestamp":"last tuesday"}]""",
        """[{"siteId":"mosul","timestamp":1402000000}]""",
        """[{"siteId":"mosul","note":["a"]}]""",
        """[{"siteId":"mosul"}] x""",
        """[{"siteId":"mosul"},]""",
        """[{"siteId":"mosul"}""",
        """{"siteId":"mosul"}""",
        """[1]""",
        """[[]]""",
        "",
        """null""",
    };

    [Theory]
    [MemberData(nameof(Taken))]
    public void Reads_the_usual_shapes_as_the_serializer_does(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(ObservationBatchJson.TryRead(bytes, Options, out var fast));
        var expected = JsonSerializer.Deserialize<List<ObservationInput?>>(bytes, Options)!;
        Assert.Equal(expected, fast!);
        // Offsets too: equal instants with different offsets are equal DateTimeOffsets.
        Assert.Equal(expected.Select(i => i?.Timestamp?.Offset), fast!.Select(i => i?.Timestamp?.Offset));
    }

    [Theory]
    [MemberData(nameof(Declined))]
    public void Leaves_everything_else_to_the_serializer(string json)
    {
        Assert.False(ObservationBatchJson.TryRead(Encoding.UTF8.GetBytes(json), Options, out var batch));
        Assert.Null(batch);
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_left_to_the_serializer_which_refuses_it()
    {
        var bytes = Encoding.UTF8.GetBytes("""[{"siteId":"mosul","note":"caf?"}]""");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xC3; // a lead byte with no continuation byte

        Assert.False(ObservationBatchJson.TryRead(bytes, Options, out _));
        Assert.False(ObservationBatchJson.TryCheck(bytes, Options, app.Services.GetRequiredService<ObservationIngest>().BeginCheck(expectedItems: 1)));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<List<ObservationInput?>>(bytes, Options));
    }

    [Fact]
    public void Repeated_strings_are_read_once()
    {
        var bytes = Encoding.UTF8.GetBytes("""[{"siteId":"mosul","source":"feed"},{"siteId":"mosul","source":"feed"}]""");
        Assert.True(ObservationBatchJson.TryRead(bytes, Options, out var batch));
        Assert.Same(batch![0]!.Source, batch[1]!.Source);
        Assert.Same(batch[0]!.SiteId, batch[1]!.SiteId);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(150)]
    public void Every_repeated_id_is_one_instance_however_many_sites(int sites)
    {
        // A day of hourly readings, hour by hour: each site id recurs only after all the others.
        var items = Enumerable.Range(0, 24).SelectMany(_ => Enumerable.Range(0, sites).Select(s => $$"""{"siteId":"site-{{s:000}}","source":"feed"}"""));
        var bytes = Encoding.UTF8.GetBytes("[" + string.Join(",", items) + "]");
        Assert.True(ObservationBatchJson.TryRead(bytes, Options, out var batch));
        Assert.Equal(sites, batch!.Select(i => i!.SiteId!).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    public static TheoryData<string> Valid => new()
    {
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":41.5,"timestamp":"2014-06-10T06:00:00Z","source":"field team","note":"queues\tshort"}]""",
        """[{"siteId":"baiji-refinery","indicatorId":"refinery.status","state":"reduced","timestamp":"2014-06-10T06:00:00.1234567+03:00"}]""",
        """ [ {"indicatorId":"fuel.stations_open_pct","siteId":"mosul","value":-0.0,"source":"caf\u00e9 \"quoted\"","timestamp":"2014-06-10T06:00"} ,""" + "\n"
            + """ {"siteId":"kirkuk","indicatorId":"fuel.stations_open_pct","value":1.5e1,"note":"طابور طويل","timestamp":"2014-06-10"} ] """,
        """[{"siteId":"tal-afar","indicatorId":"fuel.stations_open_pct","value":99.99999999999999,"timestamp":"2014-06-10T06:00:00-05:30"},"""
            + """{"siteId":"tal-afar","indicatorId":"fuel.stations_open_pct","value":12345678901234567e-15,"timestamp":"2014-06-10T07:00:00.5"}]""",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Checks_valid_batches_as_it_reads_them_into_what_validation_makes_of_them(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var check = app.Services.GetRequiredService<ObservationIngest>().BeginCheck(expectedItems: 2);

        Assert.True(ObservationBatchJson.TryCheck(bytes, Options, check));

        var inputs = JsonSerializer.Deserialize<List<ObservationInput?>>(bytes, Options);
        var expected = new ObservationValidator(TimeProvider.System).Validate(inputs, app.Services.GetRequiredService<CatalogService>().Current);
        Assert.True(expected.IsValid);
        Assert.Equal(expected.Observations, check.Observations);
    }

    public static TheoryData<string> NotChecked => new()
    {
        // Each is read the usual way, which answers it with every error it has (or stores it, for the serializer's shapes).
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"2014-06-10T06:00:00Z"}] x""",
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"2014-06-10T06:00:00Z"}]]""",
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"2014-06-10T06:00:00Z"},]""",
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"2014-06-10T06:00:00Z"},{"siteId":"atlantis","indicatorId":"fuel.stations_open_pct","value":1}]""",
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":101,"timestamp":"2014-06-10T06:00:00Z"}]""",
        """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"2014-06-10T06:00:00Z"},null]""",
        """[{"SiteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1}]""",
        """[]""",
    };

    [Theory]
    [MemberData(nameof(NotChecked))]
    public void Leaves_invalid_batches_and_other_shapes_to_the_usual_path(string json)
    {
        var check = app.Services.GetRequiredService<ObservationIngest>().BeginCheck(expectedItems: 2);

        Assert.False(ObservationBatchJson.TryCheck(Encoding.UTF8.GetBytes(json), Options, check));
    }

    [Fact]
    public void Timestamps_it_parses_itself_are_the_instants_and_offsets_the_reader_makes_of_them()
    {
        var random = new Random(20141006);
        string Two(int max) => random.Next(max).ToString("00", CultureInfo.InvariantCulture);
        var taken = 0;
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly well-formed, with out-of-range parts, odd fractions and offsets mixed in.
            var text = $"{random.Next(1, 10_000):0000}-{Two(14)}-{Two(33)}T{Two(26)}:{Two(61)}:{Two(62)}"
                       + (random.Next(3) == 0 ? "." + new string('7', random.Next(0, 10)) : "")
                       + random.Next(6) switch { 0 => "", 1 => "Z", 2 => $"+{Two(16)}:{Two(61)}", 3 => $"-{Two(16)}:{Two(61)}", 4 => "+0300", _ => "z" };
            var json = Encoding.UTF8.GetBytes($"\"{text}\"");
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var converter = new Monitor.Web.UtcDateTimeOffsetConverter();
            DateTimeOffset? expected;
            try
            {
                expected = converter.Read(ref reader, typeof(DateTimeOffset), Options);
            }
            catch (FormatException)
            {
                expected = null;
            }

            if (!ObservationBatchJson.TryParseTimestamp(json.AsSpan(1, json.Length - 2), out var parsed)) continue;
            taken++;
            Assert.True(expected is not null, text);
            Assert.Equal(expected!.Value, parsed);
            Assert.Equal(expected.Value.Offset, parsed.Offset);
        }
        // Most well-formed ones are taken, so the comparison covers them.
        Assert.InRange(taken, 2_000, 20_000);
    }

    [Fact]
    public void Numbers_it_reads_itself_are_the_doubles_the_reader_makes_of_them()
    {
        var random = new Random(5000);
        var items = new List<string>();
        var texts = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var text = random.Next(4) switch
            {
                0 => Math.Round(random.NextDouble() * 100, random.Next(0, 4)).ToString("R", CultureInfo.InvariantCulture),
                1 => (random.NextDouble() * Math.Pow(10, random.Next(-5, 16))).ToString("R", CultureInfo.InvariantCulture),
                2 => "-" + random.NextInt64(0, 999_999_999_999_999).ToString(CultureInfo.InvariantCulture) + "." + random.Next(0, 1000).ToString("000", CultureInfo.InvariantCulture),
                // Up to 16 digits, with the decimal point anywhere: across the limit of the whole-number shortcut.
                _ => random.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999).ToString(CultureInfo.InvariantCulture)[..random.Next(1, 17)] is var digits
                    ? digits.Insert(random.Next(1, digits.Length + 1), ".").TrimEnd('.')
                    : "",
            };
            texts.Add(text);
            items.Add($$"""{"value":{{text}}}""");
        }
        var bytes = Encoding.UTF8.GetBytes("[" + string.Join(",", items) + "]");

        Assert.True(ObservationBatchJson.TryRead(bytes, Options, out var batch));
        var expected = JsonSerializer.Deserialize<List<ObservationInput?>>(bytes, Options)!;
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]!.Value!.Value) == BitConverter.DoubleToInt64Bits(batch![i]!.Value!.Value), texts[i]);
        }
    }

    [Fact]
    public void Checking_a_batch_as_it_is_read_allocates_little_more_than_its_observations()
    {
        // A day of hourly readings of 50 sites: 1,200 items, as a feed posts them.
        var day = new DateTimeOffset(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);
        var sites = new[] { Mosul, TalAfar, Kirkuk, Rawa };
        var items = Enumerable.Range(0, 1_200).Select(i =>
            $$"""{"siteId":"{{sites[i % sites.Length]}}","indicatorId":"{{FuelStationsOpen}}","value":{{i % 100}}.5,"timestamp":"{{day.AddMinutes(i):yyyy-MM-dd'T'HH:mm:ssK}}","source":"feed"}""");
        var bytes = Encoding.UTF8.GetBytes("[" + string.Join(",", items) + "]");
        var ingest = app.Services.GetRequiredService<ObservationIngest>();
        Assert.True(ObservationBatchJson.TryCheck(bytes, Options, ingest.BeginCheck(expectedItems: 1_200)));

        var check = ingest.BeginCheck(expectedItems: 1_200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(ObservationBatchJson.TryCheck(bytes, Options, check));
        var perItem = (GC.GetAllocatedBytesForCurrentThread() - before) / 1_200.0;

        // An observation takes 96 bytes; reading each item into an object of its own first took about 200 in all.
        Assert.Equal(1_200, check.Observations.Count);
        Assert.InRange(perItem, 0, 110);
    }
}
