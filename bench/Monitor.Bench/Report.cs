using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Monitor.Bench;

/// <summary>Collects the measurements and renders docs/performance.md, machine included.</summary>
public sealed class Report(BenchOptions options, Scenario scenario)
{
    private readonly StringBuilder _ingest = new();
    private readonly StringBuilder _reads = new();

    public void Ingest(string store, List<double>? directMs, List<double> apiMs)
    {
        var points = scenario.PointCount;
        var api = points / (apiMs.Sum() / 1000);
        if (directMs is not null)
        {
            var direct = points / (directMs.Sum() / 1000);
            _ingest.AppendLine(Row($"{store}: line protocol straight to influxd", direct, directMs, null));
            _ingest.AppendLine(Row($"{store}: POST /api/observations", api, apiMs, api / direct));
        }
        else
        {
            _ingest.AppendLine(Row($"{store}: POST /api/observations", api, apiMs, null));
        }
    }

    public void Reads(string store, Dictionary<string, List<double>> timings)
    {
        foreach (var (label, ms) in timings)
        {
            _reads.AppendLine(FormattableString.Invariant(
                $"| {store} | {label} | {ms.Count} | {P(ms, 50):F1} | {P(ms, 95):F1} | {P(ms, 99):F1} | {ms.Max():F1} |"));
        }
    }

    public string ToMarkdown() => $"""
        # Performance

        Measured by `dotnet run -c Release --project bench/Monitor.Bench` (options: `--sites 50 --days 365 --batch 5000 --reads 200`),
        which starts its own `influxd` and runs the app as a separate process on loopback, once per store. Figures
        are from one run; rerun the command to refresh this page.

        ## Machine

        {Machine()}

        ## Ingest

        {scenario.PointCount:N0} points ({options.Sites} sites × {options.Days} days, hourly) in batches of {options.BatchSize:N0}.
        For InfluxDB the same points go, batch by batch interleaved, once as line protocol straight to `/write` and once through
        `POST /api/observations` (JSON parsing, catalog validation, line protocol, live notification).

        | path | points/s | batch p50 (ms) | batch p95 (ms) | batch p99 (ms) | vs direct |
        | --- | ---: | ---: | ---: | ---: | ---: |
        {_ingest.ToString().TrimEnd()}

        ## Chart reads

        `GET /api/observations` for one site at `maxPoints=500` (random site and window; the first 10 requests are warm-up
        and not counted), over the data above.

        | store | range | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |
        | --- | --- | ---: | ---: | ---: | ---: | ---: |
        {_reads.ToString().TrimEnd()}
        """;

    private static string Row(string path, double pointsPerSecond, List<double> ms, double? ratio) =>
        FormattableString.Invariant(
            $"| {path} | {pointsPerSecond:N0} | {P(ms, 50):F1} | {P(ms, 95):F1} | {P(ms, 99):F1} | {(ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "—")} |");

    private static double P(List<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static string Machine()
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
            - OS: {RuntimeInformation.OSDescription}
            - Runtime: {RuntimeInformation.FrameworkDescription}
            - InfluxDB: {InfluxdVersion()}
            - Date: {DateTime.UtcNow:yyyy-MM-dd}
            """;
    }

    private static string FormatKb(string? memTotal) =>
        memTotal is not null && long.TryParse(memTotal.Split(' ')[0], out var kb) ? $"{kb / 1024.0 / 1024.0:F0} GiB" : "unknown";

    private static string InfluxdVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/influxd", ["version"]) { RedirectStandardOutput = true })!;
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
