using Monitor.TestServers;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Monitor.Bench;

/// <summary>
/// <c>GET /api/observations</c> for one site at <c>maxPoints=500</c>, over random windows of 30 days and over the whole
/// range; the first 10 requests of each are warm-up and not counted.
/// </summary>
public sealed class ChartReads(BenchOptions options, Scenario scenario, HttpClient http)
{
    private const int WarmupRequests = 10;
    private const int MaxPoints = 500;

    public async Task<Dictionary<string, List<double>>> RunAsync(AppProcess app, string indicatorId)
    {
        var random = new Random(42);
        var reads = new Dictionary<string, List<double>>();
        foreach (var (label, span, count) in new[] { ("30 days", TimeSpan.FromDays(30), options.Reads), ("whole range", scenario.Last - scenario.First, options.Reads / 4) })
        {
            var timings = new List<double>();
            for (var i = -WarmupRequests; i < count; i++)
            {
                var site = scenario.SiteIds[random.Next(scenario.SiteIds.Count)];
                var latestStart = scenario.Last - span;
                var from = latestStart <= scenario.First
                    ? scenario.First
                    : scenario.First + TimeSpan.FromHours(random.Next((int)(latestStart - scenario.First).TotalHours));
                var url = new Uri(app.Url, $"/api/observations?siteId={site}&indicatorId={indicatorId}" +
                                           $"&from={from:O}&to={(from + span):O}&maxPoints={MaxPoints}".Replace("+", "%2B"));
                var clock = Stopwatch.StartNew();
                var series = await http.GetFromJsonAsync<JsonElement>(url);
                clock.Stop();
                var points = series.GetProperty("points").GetArrayLength();
                if (points is 0 or > MaxPoints) throw new InvalidOperationException($"{url} returned {points} points.");
                if (i >= 0) timings.Add(clock.Elapsed.TotalMilliseconds);
            }
            reads[label] = timings;
        }
        return reads;
    }
}
