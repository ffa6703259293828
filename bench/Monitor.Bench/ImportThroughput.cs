using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Monitor.Domain.Observations;
using Monitor.TestServers;

namespace Monitor.Bench;

/// <summary>
/// <c>--scenario import</c>: the same rows (default 100,000) once as one CSV file through
/// <c>POST /api/observations/import</c> and once as JSON batches of 5,000 through <c>POST /api/observations</c>, each into
/// a fresh app process and InfluxDB database. The clock stops when every row is queryable in influxd; the app's peak
/// memory is its peak resident set (<c>VmHWM</c>), which includes the runtime and everything else the app holds.
/// </summary>
public static class ImportThroughput
{
    public const string Command = BenchOptions.Command + " -- --scenario import";
    public const string Heading = "## CSV import";
    private const int Sites = 100;
    private const int JsonBatch = 5_000;
    private const int WarmupRows = 200;

    public static bool IsRequested(string[] args) => BenchOptions.Scenario(args) == "import";

    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--rows");
        var rows = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 100_000;
        var work = Directory.CreateTempSubdirectory("monitor-bench-import-").FullName;
        try
        {
            var days = (rows + Sites * 24 - 1) / (Sites * 24);
            var scenario = Scenario.Write(Path.Combine(work, "seed"), new BenchOptions(Sites, days, JsonBatch, 0, 1, 1, 0));
            var readings = scenario.Batches(JsonBatch, Scenario.IndicatorId).SelectMany(b => b).Take(rows).ToArray();
            var warmup = scenario.Batches(WarmupRows, Scenario.WarmupIndicatorId)[0];
            Console.WriteLine($"Import: {rows:N0} rows ({Sites} sites hourly), as one CSV file and as JSON batches of {JsonBatch:N0}.");

            await using var server = new InfluxdServer();
            await server.InitializeAsync();
            var queryable = new QueryableCount(server);
            var settings = new AppSettings(work, scenario, server.Url);
            var load = LoadAverage();

            var results = new List<Result>();
            foreach (var path in new[] { "CSV import", "JSON API" })
            {
                var database = path == "CSV import" ? "bench_import_csv" : "bench_import_json";
                await server.DropDatabaseAsync(database);
                await using var app = await AppProcess.StartAsync(AppProcess.BesideThisAssembly(), settings.InfluxDB(database));
                using var http = AppSettings.Client(TimeSpan.FromMinutes(10), app.Url);

                // One small unmeasured load first, so neither path pays for the app's first request.
                var warm = Stopwatch.StartNew();
                await SendAsync(http, path, warmup);
                await queryable.WaitAsync(database, warmup.Length, Scenario.WarmupIndicatorId, warmup.Length, warm);

                var clock = Stopwatch.StartNew();
                await SendAsync(http, path, readings);
                var answered = clock.Elapsed;
                var done = await queryable.WaitAsync(database, warmup.Length + rows, Scenario.IndicatorId, rows, clock);
                results.Add(new Result(path, rows, answered, done.At, PeakResidentMegabytes(app.Id)));
                Console.WriteLine($"  {path}: answered after {answered.TotalSeconds:F2} s, queryable after {done.At.TotalSeconds:F2} s: " +
                    $"{rows / done.At.TotalSeconds:N0} rows/s; app peak {results[^1].PeakMegabytes:N0} MB");
            }

            var markdown = Markdown(results, load, LoadAverage());
            Console.WriteLine(markdown);
            await PerformancePage.WriteSectionAsync(Heading, markdown);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task SendAsync(HttpClient http, string path, IReadOnlyList<Observation> readings)
    {
        if (path == "CSV import")
        {
            using var content = new StringContent(Csv(readings), Encoding.UTF8, "text/csv");
            using var response = await http.PostAsync("/api/observations/import", content);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return;
        }
        foreach (var batch in readings.Chunk(JsonBatch))
        {
            using var response = await http.PostAsJsonAsync("/api/observations", batch.Select(Scenario.ToInput), Scenario.Json);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"The batch was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Csv(IEnumerable<Observation> readings)
    {
        var csv = new StringBuilder("site,indicator,timestamp,value,state,source,note\n");
        foreach (var o in readings)
        {
            csv.Append(o.SiteId).Append(',').Append(o.IndicatorId).Append(',')
                .Append(o.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(o.Value!.Value.ToString("R", CultureInfo.InvariantCulture)).Append(",,").Append(o.Source).Append(",\n");
        }
        return csv.ToString();
    }

    /// <summary>The process's peak resident set so far, from <c>/proc</c> (Linux); 0 elsewhere.</summary>
    private static double PeakResidentMegabytes(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status)) return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Markdown(IReadOnlyList<Result> results, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        text.AppendLine(Heading).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{Command}`: the same {results[0].Rows:N0} rows ({Sites} sites hourly, one numeric indicator) as one CSV file through");
        text.AppendLine("`POST /api/observations/import` (mode=all: the file is checked whole, then committed in batches of 5,000) and as JSON");
        text.AppendLine(CultureInfo.InvariantCulture, $"batches of {JsonBatch:N0} through `POST /api/observations` (one client), each into a fresh app process and InfluxDB");
        text.AppendLine("database on this machine, after an unmeasured warm-up. Rows/s is end to end: until every row is queryable in influxd.");
        text.AppendLine("Peak memory is the app process's peak resident set (VmHWM), runtime included.").AppendLine();
        text.AppendLine("| path | rows | answered (s) | queryable (s) | rows/s end to end | app peak memory (MB) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Path} | {r.Rows:N0} | {r.Answered.TotalSeconds:F2} | {r.Queryable.TotalSeconds:F2} | {r.Rows / r.Queryable.TotalSeconds:N0} | {r.PeakMegabytes:N0} |");
        }
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Load average before and after: {loadBefore} → {loadAfter}.");
        return text.ToString();
    }

    private sealed record Result(string Path, int Rows, TimeSpan Answered, TimeSpan Queryable, double PeakMegabytes);
}
