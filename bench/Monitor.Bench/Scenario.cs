using System.Globalization;
using System.Text.Json;
using Monitor.Domain.Observations;

namespace Monitor.Bench;

/// <summary>
/// A synthetic catalog of N cities with hourly numeric indicators, and their observations: the same values under
/// several indicator ids, so that every measured load writes series of its own into a database shared by a path's runs.
/// </summary>
public sealed class Scenario
{
    /// <summary>The indicator of the outage run, whose data the chart reads then use.</summary>
    public const string IndicatorId = "fuel.stations_open_pct";

    /// <summary>The indicator of the unmeasured load that warms up each path before its first measured run.</summary>
    public const string WarmupIndicatorId = "bench.warmup";

    /// <summary>
    /// Unmeasured loads before a path's first measured run: one load left the app still recompiling hot code in the first
    /// measured round (8.3 µs of CPU per point against 3.3 in the next), so there are three, each on an indicator of its own
    /// (the same readings again would be identical re-sends, which the app answers without writing).
    /// </summary>
    public const int WarmupLoads = 6;

    public static string WarmupLoadIndicatorId(int load) => load == 1 ? WarmupIndicatorId : string.Create(CultureInfo.InvariantCulture, $"{WarmupIndicatorId}{load}");

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

    /// <summary>The indicator one measured load writes (per round and client pattern).</summary>
    public static string RunIndicatorId(int round, int clients) => string.Create(CultureInfo.InvariantCulture, $"bench.r{round}c{clients}");

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

        var runs = Enumerable.Range(1, options.Rounds).SelectMany(r => new[] { 1, options.Clients }.Distinct().Select(c => RunIndicatorId(r, c)));
        var warmups = Enumerable.Range(1, WarmupLoads).Select(WarmupLoadIndicatorId);
        var indicators = new[] { IndicatorId }.Concat(warmups).Concat(runs).Select(id => new
        {
            id, name = id == IndicatorId ? "Fuel stations open" : $"Benchmark {id}", kind = "numeric", unit = "%", min = 0.0, max = 100.0,
            states = Array.Empty<string>(), siteKinds = new[] { "city" }, cadence = "01:00:00",
        });
        File.WriteAllText(Path.Combine(directory, "indicators.json"), JsonSerializer.Serialize(indicators, Json));
        File.WriteAllText(Path.Combine(directory, "observations.csv"), "siteId,indicatorId,timestamp,value,state,source,note\n");

        var first = new DateTimeOffset(DateTime.UtcNow.Year - 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return new Scenario(directory, siteIds, first, options.Days * 24);
    }

    /// <summary>Observations of one indicator in arrival order (hour by hour, every site), cut into batches.</summary>
    public IReadOnlyList<Observation[]> Batches(int size, string indicatorId)
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
                    yield return new Observation(SiteIds[s], indicatorId, at, value, null, "bench feed", null);
                }
            }
        }
        return All().Chunk(size).ToArray();
    }

    public static object ToInput(Observation o) =>
        new { siteId = o.SiteId, indicatorId = o.IndicatorId, value = o.Value, timestamp = o.Timestamp, source = o.Source };
}
