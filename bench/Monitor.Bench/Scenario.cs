using System.Text.Json;
using Monitor.Domain.Observations;

namespace Monitor.Bench;

/// <summary>
/// A synthetic catalog of N cities with one hourly numeric indicator, and its observations; plus a second indicator
/// whose readings warm up a path before it is timed without touching the measured series.
/// </summary>
public sealed class Scenario
{
    public const string IndicatorId = "fuel.stations_open_pct";
    public const string WarmupIndicatorId = "bench.warmup";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private Scenario(string directory, IReadOnlyList<string> siteIds, DateTimeOffset first, int hours)
    {
        Directory = directory;
        SiteIds = siteIds;
        First = first;
        Last = first.AddHours(hours - 1);
        Hours = hours;
    }

    public string Directory { get; }
    public IReadOnlyList<string> SiteIds { get; }
    public DateTimeOffset First { get; }
    public DateTimeOffset Last { get; }
    public int Hours { get; }
    public int PointCount => SiteIds.Count * Hours;

    public static Scenario Write(string directory, BenchOptions options)
    {
        System.IO.Directory.CreateDirectory(directory);
        var siteIds = Enumerable.Range(1, options.Sites).Select(i => $"bench-city-{i:D3}").ToArray();
        var sites = siteIds.Select((id, i) => new
        {
            id, name = $"Bench city {i + 1}", kind = "city", region = $"Region {i % 10 + 1}", country = "Benchland",
            latitude = 30 + i * 0.1, longitude = 40 + i * 0.1,
        });
        File.WriteAllText(Path.Combine(directory, "sites.json"), JsonSerializer.Serialize(sites, Json));
        File.WriteAllText(Path.Combine(directory, "indicators.json"), JsonSerializer.Serialize(new[]
        {
            new
            {
                id = IndicatorId, name = "Fuel stations open", kind = "numeric", unit = "%", min = 0.0, max = 100.0,
                states = Array.Empty<string>(), siteKinds = new[] { "city" }, cadence = "01:00:00",
            },
            new
            {
                id = WarmupIndicatorId, name = "Benchmark warm-up", kind = "numeric", unit = "%", min = 0.0, max = 100.0,
                states = Array.Empty<string>(), siteKinds = new[] { "city" }, cadence = "01:00:00",
            },
        }, Json));
        File.WriteAllText(Path.Combine(directory, "observations.csv"), "siteId,indicatorId,timestamp,value,state,source,note\n");

        var first = new DateTimeOffset(DateTime.UtcNow.Year - 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return new Scenario(directory, siteIds, first, options.Days * 24);
    }

    /// <summary>Observations in arrival order (hour by hour, every site), cut into batches.</summary>
    public IReadOnlyList<Observation[]> Batches(int size)
    {
        var random = new Random(7);
        IEnumerable<Observation> All()
        {
            for (var h = 0; h < Hours; h++)
            {
                var at = First.AddHours(h);
                for (var s = 0; s < SiteIds.Count; s++)
                {
                    var wave = 60 + 30 * Math.Sin((h + s * 13) / 96.0);
                    var value = Math.Clamp(Math.Round(wave + random.NextDouble() * 10 - 5, 1), 0, 100);
                    yield return new Observation(SiteIds[s], IndicatorId, at, value, null, "bench feed", null);
                }
            }
        }
        return All().Chunk(size).ToArray();
    }

    /// <summary>The first <paramref name="count"/> × <paramref name="size"/> observations again, as readings of the warm-up indicator.</summary>
    public IReadOnlyList<Observation[]> WarmupBatches(int count, int size) =>
        Batches(count * size)[0].Select(o => o with { IndicatorId = WarmupIndicatorId }).Chunk(size).ToArray();

    public static object ToInput(Observation o) =>
        new { siteId = o.SiteId, indicatorId = o.IndicatorId, value = o.Value, timestamp = o.Timestamp, source = o.Source };
}
