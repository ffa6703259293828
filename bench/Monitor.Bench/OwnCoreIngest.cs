using Monitor.TestServers;

namespace Monitor.Bench;

/// <summary>
/// <c>--scenario own-core</c>: the main run's ingest comparison with influxd on CPUs of its own and the app and the
/// benchmark client on the others, as when InfluxDB has a machine of its own. On a machine that the three share, the
/// app's CPU per point is CPU that influxd does not get, and the API's rate falls by that share; here it does not, so
/// the comparison shows whether the app keeps up with what influxd takes.
/// </summary>
public static class OwnCoreIngest
{
    public const string Command = BenchOptions.Command + " -- --scenario own-core";
    public const string Heading = "## Ingest with influxd on a core of its own";

    public static bool IsRequested(string[] args) => BenchOptions.Scenario(args) == "own-core";

    public static async Task<int> RunAsync(string[] args)
    {
        if (CpuAffinity.Halves() is not { } cpus)
        {
            Console.Error.WriteLine($"--scenario own-core needs at least two CPUs and {CpuAffinity.TasksetPath} (util-linux).");
            return 1;
        }
        var options = BenchOptions.Parse(args);
        CpuAffinity.ConfineThisProcess(cpus.Others);
        var work = Directory.CreateTempSubdirectory("monitor-bench-own-core-").FullName;
        try
        {
            var scenario = Scenario.Write(Path.Combine(work, "seed"), options);
            Console.WriteLine($"Ingest with influxd on CPU {cpus.Influxd}, the app and this client on CPU {cpus.Others}: {scenario.PointCount:N0} points, batches of {options.BatchSize:N0}.");

            await using var server = new InfluxdServer { Cpus = cpus.Influxd };
            await server.InitializeAsync();
            using var http = AppSettings.Client(TimeSpan.FromMinutes(2));
            var comparison = new IngestComparison(options, scenario, new BenchInfluxd(server), new AppSettings(work, scenario, server.Url),
                AppProcess.BesideThisAssembly(), http, appCpus: cpus.Others);

            var report = new Report(options, scenario);
            report.Ingest(await comparison.RunAsync());
            var section = report.OwnCoreSection(cpus.Influxd, cpus.Others);
            Console.WriteLine(section);
            await PerformancePage.WriteSectionAsync(Heading, section);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
