using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations;

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
    };

    public static TheoryData<string> Declined => new()
    {
        // Shapes the serializer reads its own way (or refuses): each answered exactly as before.
        """[{"SiteId":"mosul"}]""",
        """[{"site\u0049d":"mosul"}]""",
        """[{"siteId":"mosul","siteId":"tal-afar"}]""",
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
}
