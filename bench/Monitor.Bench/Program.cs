using Monitor.Bench;
using Monitor.TestServers;

// What is measured (all on loopback, the app as its own process, one influxd for everything):
// 1. Ingest into InfluxDB end to end, batches of 5,000: POST /api/observations against the same points as line
//    protocol straight to influxd, with 1 sequential and with N concurrent clients, in alternating rounds.
// 2. The outbox's drain rate after an outage, against the steady end-to-end rate measured in 1.
// 3. Ingest into the embedded store through the API.
// 4. Chart reads: GET /api/observations for 30 days and for a year at maxPoints=500, on each store.
// 5. --scenario alerts, on its own: POST → AlertChanged latency and fan-out to N SignalR clients (AlertLatency.cs).
// 6. --scenario import, on its own: 100,000 rows of CSV through POST /api/observations/import into InfluxDB, beside
//    the same rows through the JSON API (ImportThroughput.cs).
// 7. --scenario body, on its own: reading and checking one posted batch in this process, along each of the endpoint's
//    paths (BodyReading.cs).
// 8. --scenario own-core, on its own: 1. with influxd on CPUs of its own and the app and this client on the others
//    (OwnCoreIngest.cs).
// Each of 5 to 8 writes its own section of docs/performance.md; the main run keeps those sections as they are.
if (AlertLatency.IsRequested(args)) return await AlertLatency.RunAsync(args);
if (ImportThroughput.IsRequested(args)) return await ImportThroughput.RunAsync(args);
if (BodyReading.IsRequested(args)) return await BodyReading.RunAsync(args);
if (OwnCoreIngest.IsRequested(args)) return await OwnCoreIngest.RunAsync(args);

var options = BenchOptions.Parse(args);
var appDll = AppProcess.BesideThisAssembly();
var work = Directory.CreateTempSubdirectory("monitor-bench-").FullName;

var scenario = Scenario.Write(Path.Combine(work, "seed"), options);
Console.WriteLine($"Scenario: {options.Sites} sites × {options.Days} days hourly = {scenario.PointCount:N0} points, batches of {options.BatchSize:N0}.");

await using var server = new InfluxdServer();
await server.InitializeAsync();
var influxd = new BenchInfluxd(server);
var settings = new AppSettings(work, scenario, server.Url);
var report = new Report(options, scenario);
using var http = AppSettings.Client(TimeSpan.FromMinutes(2));
var chartReads = new ChartReads(options, scenario, http);

Console.WriteLine("Ingest into InfluxDB, end to end:");
report.Ingest(await new IngestComparison(options, scenario, influxd, settings, appDll, http).RunAsync());

Console.WriteLine($"Backlog drain after a {options.OutageSeconds} s outage:");
var outage = new OutageDrain(options, scenario, influxd, http);
await using (var app = await AppProcess.StartAsync(appDll, settings.InfluxDB(OutageDrain.Database, outage.AppSettings())))
{
    var drain = await outage.RunAsync(app);
    Console.WriteLine($"  {drain.Queued:N0} queued, all queryable {drain.AllQueryableAt.TotalSeconds:F2} s after influxd answered: {drain.Rate:N0} obs/s");
    report.Drain(drain);
    report.Reads("InfluxDB", await chartReads.RunAsync(app, Scenario.IndicatorId));
}

Console.WriteLine("Ingest into the embedded store:");
await using (var app = await AppProcess.StartAsync(appDll, settings.Embedded("api")))
{
    var target = new ApiTarget(http, app, influxd, database: null);
    await EndToEndIngest.WarmUpAsync(target, IngestPayloads.Warmups(scenario, options.BatchSize), options.Clients);
    var embedded = new List<IngestRun>();
    foreach (var clients in new[] { 1, options.Clients })
    {
        var payloads = IngestPayloads.Build(scenario, options.BatchSize, Scenario.RunIndicatorId(1, clients));
        embedded.Add(await EndToEndIngest.RunAsync(target, payloads, clients, round: 1, influxd));
        Console.WriteLine($"  {clients} client(s): {embedded[^1].PointsPerSecond:N0} points/s");
    }
    report.Embedded(embedded);
    report.Reads("Embedded", await chartReads.RunAsync(app, Scenario.RunIndicatorId(1, options.Clients)));
}

var output = PerformancePage.Path;
var previous = File.Exists(output) ? await File.ReadAllTextAsync(output) : "";
await File.WriteAllTextAsync(output, PerformancePage.KeepOtherSections(previous, report.ToMarkdown() + "\n"));
Console.WriteLine(report.ToMarkdown());
Console.WriteLine($"Written to {Path.GetRelativePath(Environment.CurrentDirectory, output)}");
Directory.Delete(work, recursive: true);
return 0;
