using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Monitor.Bench;
using Monitor.Domain.Observations;
using Monitor.TestServers;
using Monitor.Web.Observations.InfluxDB;

// What is measured (all on loopback, the app as its own process):
// 1. Ingest into InfluxDB, batches of 5,000: POST /api/observations vs the same points as line protocol straight to
//    the same influxd, interleaved batch by batch so both see the same machine state.
// 2. Ingest into the embedded store through the API.
// 3. Chart reads: GET /api/observations for 30 days and for a year at maxPoints=500, on each store.
var options = BenchOptions.Parse(args);
var repo = BenchOptions.RepositoryRoot();
var appDll = AppProcess.BesideThisAssembly();
var work = Directory.CreateTempSubdirectory("monitor-bench-").FullName;
const string ApiKey = "bench-key-0123456789abcdef";

Console.WriteLine($"Scenario: {options.Sites} sites × {options.Days} days hourly = {options.Sites * options.Days * 24:N0} points, batches of {options.BatchSize:N0}.");
var scenario = Scenario.Write(Path.Combine(work, "seed"), options);
var batches = scenario.Batches(options.BatchSize);
var jsonBatches = batches.Select(b => JsonSerializer.SerializeToUtf8Bytes(b.Select(Scenario.ToInput), Scenario.Json)).ToArray();
var lineBatches = batches.Select(b =>
{
    var lines = new StringBuilder();
    foreach (var observation in b) InfluxMapping.AppendLine(lines, observation, sequence: 1);
    return Encoding.UTF8.GetBytes(lines.ToString());
}).ToArray();

await using var influxd = new InfluxdServer();
await influxd.InitializeAsync();
await influxd.CreateDatabaseAsync("direct");
var report = new Report(options, scenario);

Dictionary<string, string> Settings(string provider) => new()
{
    ["Storage__Provider"] = provider,
    ["InfluxDB__Url"] = influxd.Url.ToString(),
    ["InfluxDB__Database"] = "monitor",
    ["Monitor__DataDirectory"] = Path.Combine(work, "data-" + provider),
    ["Monitor__SeedDirectory"] = scenario.Directory,
    ["Monitor__DashboardsDirectory"] = Path.Combine(work, "no-dashboards"),
    ["Auth__ApiKeys__0__Name"] = "bench",
    ["Auth__ApiKeys__0__Key"] = ApiKey,
    ["Auth__ApiKeys__0__Role"] = "Reporter",
    // The benchmark measures ingest, not the abuse limit: one key posts as fast as the app takes it.
    ["RateLimits__Observations__TokenLimit"] = "1000000",
    ["RateLimits__Observations__TokensPerPeriod"] = "1000000",
};

using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

await using (var app = await AppProcess.StartAsync(appDll, Settings("InfluxDB")))
{
    // Warm both paths (JIT, connection pools, shard creation) on a batch outside the measured data.
    await PostJson(app.Url, jsonBatches[0]);
    await PostLines(influxd.Url, lineBatches[0]);

    var direct = new List<double>();
    var viaApi = new List<double>();
    for (var i = 0; i < batches.Count; i++)
    {
        direct.Add(await Time(() => PostLines(influxd.Url, lineBatches[i])));
        viaApi.Add(await Time(() => PostJson(app.Url, jsonBatches[i])));
    }
    report.Ingest("InfluxDB", direct, viaApi);
    report.Reads("InfluxDB", await ChartReads(app.Url));
}

await using (var app = await AppProcess.StartAsync(appDll, Settings("Embedded")))
{
    await PostJson(app.Url, jsonBatches[0]);
    var viaApi = new List<double>();
    foreach (var batch in jsonBatches) viaApi.Add(await Time(() => PostJson(app.Url, batch)));
    report.Ingest("Embedded", null, viaApi);
    report.Reads("Embedded", await ChartReads(app.Url));
}

var output = Path.Combine(repo, "docs", "performance.md");
await File.WriteAllTextAsync(output, report.ToMarkdown());
Console.WriteLine(report.ToMarkdown());
Console.WriteLine($"Written to {Path.GetRelativePath(Environment.CurrentDirectory, output)}");
Directory.Delete(work, recursive: true);
return 0;

async Task PostJson(Uri app, byte[] body)
{
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new("application/json");
    using var response = await http.PostAsync(new Uri(app, "/api/observations"), content);
    if ((int)response.StatusCode != 202)
        throw new InvalidOperationException($"POST /api/observations: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

async Task PostLines(Uri influx, byte[] body)
{
    using var content = new ByteArrayContent(body);
    using var response = await http.PostAsync(new Uri(influx, "/write?db=direct&precision=ms"), content);
    if ((int)response.StatusCode != 204)
        throw new InvalidOperationException($"influxd /write: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

async Task<Dictionary<string, List<double>>> ChartReads(Uri app)
{
    var random = new Random(42);
    var reads = new Dictionary<string, List<double>>();
    foreach (var (label, span, count) in new[] { ("30 days", TimeSpan.FromDays(30), options.Reads), ("whole range", scenario.Last - scenario.First, options.Reads / 4) })
    {
        var timings = new List<double>();
        for (var i = -10; i < count; i++)
        {
            var site = scenario.SiteIds[random.Next(scenario.SiteIds.Count)];
            var latestStart = scenario.Last - span;
            var from = latestStart <= scenario.First
                ? scenario.First
                : scenario.First + TimeSpan.FromHours(random.Next((int)(latestStart - scenario.First).TotalHours));
            var url = new Uri(app, $"/api/observations?siteId={site}&indicatorId={Scenario.IndicatorId}" +
                                   $"&from={from:O}&to={(from + span):O}&maxPoints=500".Replace("+", "%2B"));
            var clock = Stopwatch.StartNew();
            var series = await http.GetFromJsonAsync<JsonElement>(url);
            clock.Stop();
            var points = series.GetProperty("points").GetArrayLength();
            if (points is 0 or > 500) throw new InvalidOperationException($"{url} returned {points} points.");
            if (i >= 0) timings.Add(clock.Elapsed.TotalMilliseconds);
        }
        reads[label] = timings;
    }
    return reads;
}

static async Task<double> Time(Func<Task> action)
{
    var clock = Stopwatch.StartNew();
    await action();
    return clock.Elapsed.TotalMilliseconds;
}

public sealed record BenchOptions(int Sites, int Days, int BatchSize, int Reads)
{
    public static BenchOptions Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var at = Array.IndexOf(args, "--" + name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }
        return new BenchOptions(Get("sites", 50), Get("days", 365), Get("batch", 5_000), Get("reads", 200));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
