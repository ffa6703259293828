using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Monitor.Bench;

/// <summary>Collects the measurements and renders docs/performance.md, machine included.</summary>
public sealed class Report(BenchOptions options, Scenario scenario)
{
    /// <summary>SPEC's quality bar: the API end to end at least this fraction of line protocol straight to influxd.</summary>
    public const double RatioBar = 0.8;

    /// <summary>The drain goal: a backlog clears at least this many times faster than the steady ingest rate.</summary>
    public const double DrainGoal = 2.0;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private IReadOnlyList<IngestRun> _influx = [];
    private IReadOnlyList<IngestRun> _embedded = [];
    private DrainRun? _drain;
    private readonly StringBuilder _reads = new();

    public void Ingest(IReadOnlyList<IngestRun> runs) => _influx = runs;

    public void Embedded(IReadOnlyList<IngestRun> runs) => _embedded = runs;

    public void Drain(DrainRun drain) => _drain = drain;

    public void Reads(string store, Dictionary<string, List<double>> timings)
    {
        foreach (var (label, ms) in timings)
        {
            _reads.AppendLine(Format($"| {store} | {label} | {ms.Count} | {Percentile(ms, 50):F1} | {Percentile(ms, 95):F1} | {Percentile(ms, 99):F1} | {ms.Max():F1} |"));
        }
    }

    /// <summary>The API's median end-to-end rate over the direct path's, per number of clients.</summary>
    private IEnumerable<(int Clients, double Ratio)> Ratios() =>
        _influx.Select(r => r.Clients).Distinct().Select(c => (c, Median(c, "API").PointsPerSecond / Median(c, "direct").PointsPerSecond));

    public string ToMarkdown() => $"""
        # Performance

        Measured by `{BenchOptions.Command}` (this run: `{options.ToArguments()}`),
        which starts its own `influxd` and runs the app as a separate process on loopback. Rerun the command to refresh
        this page; `--rounds 1 --outage-seconds 10` with fewer `--days` gives a quick look.

        ## Machine

        {Machine()}

        ## Ingest into InfluxDB, end to end

        {scenario.PointCount:N0} points ({options.Sites} sites × {options.Days} days, hourly) in batches of {options.BatchSize:N0}, loaded
        along each path in {options.Rounds} round(s), with 1 sequential client and with {options.Clients} concurrent clients (each
        posts its next batch as soon as its last one is answered):

        - **direct**: the app's own line protocol (`InfluxMapping.AppendLine`, the lines its store writes, with the batch
          numbers the app gives the same load) posted straight to influxd's `/write`, uncompressed;
        - **API**: `POST /api/observations` through the app with the InfluxDB store: JSON parsing, catalog validation, history
          guard, the durable outbox commit (answered 202), then the background drain's writes to influxd (uncompressed to an influxd on this machine, as configured by default).

        The clock starts at the first request and stops when the last point is queryable in influxd. After the last answer
        the benchmark polls influxd's per-shard write counters (`SHOW STATS FOR 'shard'`, about 2 ms; they rise once points
        are in the shard's cache, where queries read them), at first after 20 ms and then after half the time the rest
        should take at the rate seen so far (5 to 100 ms: few polls while much is left, since each takes CPU from the
        writes it waits for, and close ones near the end), and confirms with one `SELECT count(state) FROM
        observation WHERE indicator = …`; the clock stops when the first poll that saw every point was sent. Both paths use this same check.
        (Polling the count itself would cost influxd 100 ms or more of CPU per poll at this size and slow the writes it
        waits for.)

        One app process serves every API run, so the app is measured warm, as a server that has been up for a while runs
        (a fresh process spends a large share of its CPU on the JIT's tier-up during such a load); it and the direct path
        first take {Scenario.WarmupLoads} unmeasured loads of the scenario, each under a warm-up indicator of its own. Every run then starts on an emptied
        database (one name per path), once influxd and the app are idle, and writes the scenario under an indicator of its own. The
        order of the two paths alternates from round to round and between the client patterns. Points/s is the median
        round; answer latencies pool every batch of every round.

        {IngestTables()}

        ## Backlog drain after an outage

        {DrainSection()}

        ## Ingest into the embedded store

        Through the API into the embedded SQLite store, once per client pattern, after {Scenario.WarmupLoads} unmeasured loads: the 202 means
        committed to the store, so the clock stops at the last answer.

        | clients | points/s | batch answered p50 (ms) | p95 (ms) | p99 (ms) |
        | ---: | ---: | ---: | ---: | ---: |
        {EmbeddedRows()}

        ## Chart reads

        `GET /api/observations` for one site at `maxPoints=500` (random site and window; the first 10 requests are warm-up
        and not counted), over the data above (InfluxDB: the database the drain filled; embedded: the last load).

        | store | range | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |
        | --- | --- | ---: | ---: | ---: | ---: | ---: |
        {_reads.ToString().TrimEnd()}
        """;

    /// <summary>The ingest table, the verdicts and where the CPU went, for the runs given to <see cref="Ingest"/>.</summary>
    private string IngestTables() => $"""
        | clients | path | points/s (median) | rounds | batch answered p50 (ms) | p95 (ms) | p99 (ms) | pending at last answer | last answer → all queryable (ms) | API ÷ direct |
        | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |
        {IngestRows()}

        {Verdicts()}

        ### Where the CPU goes (median round)

        CPU seconds per process during each median run, from `/proc` ({Environment.ProcessorCount} cores: at most {Environment.ProcessorCount} CPU seconds per second of wall time).
        "Others" is every other process on the machine; a large figure there means the run shared the machine.

        | clients | path | wall (s) | app (s) | influxd (s) | benchmark client (s) | others (s) | app µs/point | influxd µs/point |
        | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        {CpuRows()}
        """;

    /// <summary>
    /// The section of <c>--scenario own-core</c>: the same comparison, with influxd confined to <paramref name="influxdCpus"/>
    /// and the app and the benchmark client to <paramref name="otherCpus"/>.
    /// </summary>
    public string OwnCoreSection(string influxdCpus, string otherCpus) => $"""
        {OwnCoreIngest.Heading}

        Measured by `{OwnCoreIngest.Command}` (this run: `{options.ToArguments()}`): the comparison of
        "Ingest into InfluxDB, end to end" above, run the same way, with one change. influxd runs on CPU {influxdCpus} and the
        app and the benchmark client on CPU {otherCpus} (`taskset`), as when InfluxDB has a machine or cores of its own. Each
        process sizes its runtime to its CPUs. So the direct path is what influxd takes on its CPU, and the API path shows
        whether the app keeps up with that when it does not take CPU from influxd.

        {Machine()}

        {IngestTables()}
        """;

    private string IngestRows()
    {
        var rows = new StringBuilder();
        foreach (var clients in _influx.Select(r => r.Clients).Distinct())
        {
            foreach (var path in new[] { "direct", "API" })
            {
                var runs = _influx.Where(r => r.Clients == clients && r.Path == path).OrderBy(r => r.Round).ToArray();
                var median = Median(clients, path);
                var latencies = runs.SelectMany(r => r.LatenciesMs).ToList();
                var perRound = string.Join(" / ", runs.Select(r => r.PointsPerSecond.ToString("N0", Invariant)));
                var ratio = path == "API" ? Format($"**{median.PointsPerSecond / Median(clients, "direct").PointsPerSecond:F2}×**") : "—";
                rows.AppendLine(Format(
                    $"| {clients} | {path} | {median.PointsPerSecond:N0} | {perRound} | {Percentile(latencies, 50):F1} | {Percentile(latencies, 95):F1} | {Percentile(latencies, 99):F1} | {median.PendingAtLastAnswer:N0} | {(median.Elapsed - median.LastAnswer).TotalMilliseconds:F0} | {ratio} |"));
            }
        }
        return rows.ToString().TrimEnd();
    }

    private string Verdicts() => string.Join("\n", Ratios().Select(r => Format(
        $"- {Clients(r.Clients)}: the API reaches **{r.Ratio:F2}×** the direct rate end to end; the bar is ≥ {RatioBar:F1}× — {(r.Ratio >= RatioBar ? "met" : "**not met**")}.")));

    private string CpuRows()
    {
        var rows = new StringBuilder();
        foreach (var clients in _influx.Select(r => r.Clients).Distinct())
        {
            foreach (var path in new[] { "direct", "API" })
            {
                var run = Median(clients, path);
                if (run.Cpu is not { } cpu) continue;
                var app = path == "API" ? Format($"{cpu.Of("app").TotalSeconds:F2}") : "—";
                var appPerPoint = path == "API" ? Format($"{cpu.Of("app").TotalMicroseconds / run.Points:F1}") : "—";
                rows.AppendLine(Format(
                    $"| {clients} | {path} | {run.Elapsed.TotalSeconds:F2} | {app} | {cpu.Of("influxd").TotalSeconds:F2} | {cpu.Of("bench").TotalSeconds:F2} | {cpu.Others.TotalSeconds:F2} | {appPerPoint} | {cpu.Of("influxd").TotalMicroseconds / run.Points:F1} |"));
            }
        }
        return rows.Length == 0 ? "| (no /proc on this machine) | | | | | | | | |" : rows.ToString().TrimEnd();
    }

    private string DrainSection()
    {
        if (_drain is not { } d) return "(not measured)";
        var steady = _influx.Select(r => r.Clients).Distinct().Select(c => (Clients: c, Rate: Median(c, "API").PointsPerSecond)).ToArray();
        // The goal is that a backlog drains faster than the observations that built it arrive; against the app's fastest
        // end-to-end rate the drain cannot reach it on one machine, since both are bounded by how fast influxd writes.
        var offered = d.Queued / d.Outage.TotalSeconds;
        var comparisons = Format(
            $"- against the rate the observations arrived at during the outage ({offered:N0} points/s): **{d.Rate / offered:F1}×** (goal ≥ {DrainGoal:F0}×: {(d.Rate / offered >= DrainGoal ? "met" : "**not met**")})\n") +
            string.Join("\n", steady.Select(s => Format(
                $"- against the end-to-end API rate (median round) with {Clients(s.Clients)} ({s.Rate:N0} points/s): **{d.Rate / s.Rate:F2}×** (no drain can reach {DrainGoal:F0}× of that: it writes at most as fast as influxd takes writes, and the ingest bar asks the API for at least {RatioBar:F1}× of that same rate)")));
        var cpu = d.Cpu is { } c
            ? Format($" During the drain the app used {c.Of("app").TotalSeconds:F2} CPU s, influxd {c.Of("influxd").TotalSeconds:F2} s, other processes {c.Others.TotalSeconds:F2} s.")
            : "";
        return Format($"""
            With the app on InfluxDB (its own process, warmed up by {Scenario.WarmupLoads} unmeasured loads, then its database emptied), influxd is killed and the {scenario.PointCount:N0} points of the scenario are posted by one client,
            spread evenly over {d.Outage.TotalSeconds:F0} s (all answered 202 within {d.PostedIn.TotalSeconds:F1} s), then influxd is
            started again. The app ran with `Outbox__MaxRetryDelay={OutageDrain.MaxRetryDelay}` (default 30 s) so that the wait for
            the drain's next attempt does not dominate, and with `Outbox__MaxBacklog` large enough for the whole scenario.

            | queued at the end of the outage | influxd answering → first points queryable | → all queryable | → /healthz Healthy | drain rate | drain rate once writing |
            | ---: | ---: | ---: | ---: | ---: | ---: |
            | {d.Queued:N0} | {d.FirstPointsAt.TotalMilliseconds:N0} ms | {d.AllQueryableAt.TotalSeconds:F2} s | {d.HealthyAt.TotalSeconds:F2} s | {d.Rate:N0} obs/s | {d.FlowingRate:N0} obs/s |

            While influxd was down, each batch of {options.BatchSize:N0} was answered 202 in p50 {Percentile(d.OutageLatenciesMs, 50):F1} ms, p95 {Percentile(d.OutageLatenciesMs, 95):F1} ms, p99 {Percentile(d.OutageLatenciesMs, 99):F1} ms:
            the accept path alone (parse, validate, guard, outbox commit), with neither the drain nor influxd busy.

            /healthz during the outage: `{d.HealthDuringOutage}`.{cpu}

            The drain rate is the backlog over the time from influxd answering again until the last queued point was queryable;
            "once writing" leaves out the time until the first queued points were queryable (the retry timer and the first write).

            {comparisons}
            """);
    }

    private string EmbeddedRows() => string.Join("\n", _embedded.Select(r => Format(
        $"| {r.Clients} | {r.PointsPerSecond:N0} | {Percentile(r.LatenciesMs, 50):F1} | {Percentile(r.LatenciesMs, 95):F1} | {Percentile(r.LatenciesMs, 99):F1} |")));

    private IngestRun Median(int clients, string path)
    {
        var runs = _influx.Where(r => r.Clients == clients && r.Path == path).OrderBy(r => r.PointsPerSecond).ToArray();
        return runs[(runs.Length - 1) / 2];
    }

    private static string Clients(int clients) => clients == 1 ? "1 sequential client" : $"{clients} concurrent clients";

    private static string Format(FormattableString text) => text.ToString(Invariant);

    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"""
            - CPU: {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores
            - Memory: {FormatKb(memory)}
            - OS: {OperatingSystem()}
            - Runtime: {RuntimeInformation.FrameworkDescription}
            - InfluxDB: {InfluxdVersion()}
            - Date: {DateTime.UtcNow:yyyy-MM-dd}
            """;
    }

    private static string OperatingSystem()
    {
        // os-release names the distribution; the kernel release comes from /proc.
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;
        return pretty is null || kernel is null ? RuntimeInformation.OSDescription : $"{pretty}, Linux {kernel}";
    }

    private static string FormatKb(string? memTotal) =>
        memTotal is not null && long.TryParse(memTotal.Split(' ')[0], Invariant, out var kb) ? Format($"{kb / 1024.0 / 1024.0:F0} GiB") : "unknown";

    private static string InfluxdVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Monitor.TestServers.InfluxdServer.InfluxdPath, ["version"]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
