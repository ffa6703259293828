using System.Diagnostics;
using System.Text.Json;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web;
using Monitor.Web.Observations;
using static System.FormattableString;

namespace Monitor.Bench;

/// <summary>
/// <c>--scenario body</c>: the first step of <c>POST /api/observations</c> on its own, in this process: one body of 5,000
/// readings, as the ingest benchmark posts it, read and checked against the catalog along the three paths the endpoint
/// has. The paths take turns, batch by batch, so each sees the same machine; the first batches of each are not counted.
/// </summary>
public static class BodyReading
{
    public const string Command = BenchOptions.Command + " -- --scenario body";
    public const string Heading = "## Reading a posted batch";
    private const int Warmup = 200;
    private const int Measured = 1_000;

    public static bool IsRequested(string[] args) => BenchOptions.Scenario(args) == "body";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var work = Directory.CreateTempSubdirectory("monitor-bench-body-").FullName;
        try
        {
            var scenario = Scenario.Write(Path.Combine(work, "seed"), options);
            var body = IngestPayloads.Build(scenario, options.BatchSize, Scenario.IndicatorId).Json[0];
            var items = scenario.Batches(options.BatchSize, Scenario.IndicatorId)[0].Length;
            var catalog = Catalog(scenario);
            var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            MonitorServiceCollectionExtensions.ConfigureJson(json);
            json.MakeReadOnly(populateMissingResolver: true);
            var validator = new ObservationValidator(TimeProvider.System);
            Console.WriteLine($"Body reading: {items:N0} readings in {body.Length:N0} bytes, {Measured:N0} batches per path after {Warmup} unmeasured.");

            ReadPath[] paths =
            [
                new("serializer, then validation (any other body)", () =>
                    Valid(validator.Validate(JsonSerializer.Deserialize<List<ObservationInput?>>(body, json), catalog))),
                new("scan into posted items, then validation", () =>
                    Valid(ObservationBatchJson.TryRead(body, json, out var read) ? validator.Validate(read, catalog) : null)),
                new("scan, each item checked as it is read", () =>
                {
                    var check = validator.Begin(catalog, items);
                    return ObservationBatchJson.TryCheck(body, json, check) ? check.Observations.Count : throw new InvalidOperationException("The body was not checked as read.");
                }),
            ];
            for (var batch = 0; batch < Warmup + Measured; batch++)
            {
                foreach (var path in paths) path.Measure(items, counted: batch >= Warmup);
            }

            var section = Section(options, body.Length, items, paths);
            Console.WriteLine(section);
            await PerformancePage.WriteSectionAsync(Heading, section);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int Valid(ValidationOutcome? outcome) =>
        outcome is { IsValid: true } ? outcome.Observations.Count : throw new InvalidOperationException("The body did not validate.");

    private static CatalogSnapshot Catalog(Scenario scenario)
    {
        var sites = scenario.SiteIds.Select((id, i) => new Site(id, $"Bench city {i + 1}", "city", $"Region {i % 10 + 1}", "Benchland", 30, 40));
        var indicator = new IndicatorDefinition(Scenario.IndicatorId, "Fuel stations open", IndicatorKind.Numeric, "%", 0, 100, [], ["city"], TimeSpan.FromHours(1));
        return new CatalogSnapshot(sites, [indicator]);
    }

    private sealed class ReadPath(string name, Func<int> read)
    {
        public string Name { get; } = name;
        public List<double> NanosecondsPerItem { get; } = [];
        public long Allocated { get; private set; }

        public void Measure(int items, bool counted)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            if (read() != items) throw new InvalidOperationException($"{Name}: not every reading was read.");
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (!counted) return;
            NanosecondsPerItem.Add(elapsed.TotalNanoseconds / items);
            Allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
        }
    }

    private static string Section(BenchOptions options, int bodyBytes, int items, IReadOnlyList<ReadPath> paths)
    {
        var baseline = Report.Percentile(paths[1].NanosecondsPerItem, 50);
        var rows = paths.Select(p => Invariant(
            $"| {p.Name} | {Report.Percentile(p.NanosecondsPerItem, 50):F0} | {Report.Percentile(p.NanosecondsPerItem, 95):F0} | {Report.Percentile(p.NanosecondsPerItem, 99):F0} | {Report.Percentile(p.NanosecondsPerItem, 50) / baseline:F2}× | {p.Allocated / (double)(Measured * items):F0} |"));
        return Invariant($"""
            {Heading}

            Measured by `{Command}`: one body of {items:N0} readings ({bodyBytes:N0} bytes, {options.Sites} sites, as the ingest
            benchmark posts it) read and checked against the catalog in the benchmark's own process, along each path
            `POST /api/observations` has, {Measured:N0} times each after {Warmup} unmeasured; the paths take turns batch by batch.
            Time and bytes allocated are per reading; the ratio is against the scan into posted items, which every valid body
            took before it was checked as read.

            | path | p50 (ns) | p95 (ns) | p99 (ns) | p50 ÷ scan into posted items | bytes allocated |
            | --- | ---: | ---: | ---: | ---: | ---: |
            {string.Join("\n", rows)}

            The body is checked as it is read whenever it has the documented shape and every item is valid; any other body
            takes one of the first two paths, which name every error. The allocation left is the checked observations
            themselves (88 bytes each) and their list.

            {Report.Machine()}
            """);
    }
}
