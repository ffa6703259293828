using Monitor.TestServers;
namespace Monitor.Bench;

/// <summary>
/// Line protocol straight to influxd against <c>POST /api/observations</c> into the same influxd, with one sequential
/// client and with several concurrent ones, repeated in rounds.
/// </summary>
/// <remarks>
/// One app process serves every API run: a fresh process per run would be measured while its JIT still recompiles hot
/// code (about a third of its CPU). So each path has one database name, emptied before every run, and each run writes
/// an indicator of its own. Both paths first take unmeasured loads (<see cref="Scenario.WarmupLoads"/>); the order of the two paths
/// alternates from round to round and between the client patterns, so neither always runs on a machine the other has
/// just warmed or left busy, and each run starts once influxd has finished compacting what came before and the app is idle too.
/// </remarks>
/// <param name="appCpus">The CPUs the app is confined to (<see cref="CpuAffinity"/>), or null for all of them.</param>
public sealed class IngestComparison(
    BenchOptions options, Scenario scenario, BenchInfluxd influxd, AppSettings settings, string appDll, HttpClient http, string? appCpus = null)
{
    public const string DirectDatabase = "direct";
    public const string ApiDatabase = "api";

    // Loaded, unmeasured, before a run repeated after influxd was restarted: the first warm-up load, already built.
    private IngestPayloads? _afterRestart;

    public async Task<IReadOnlyList<IngestRun>> RunAsync()
    {
        await influxd.Server.CreateDatabaseAsync(DirectDatabase);
        await using var app = await AppProcess.StartAsync(appDll, settings.InfluxDB(ApiDatabase), cpus: appCpus);
        IngestTarget direct = new LineProtocolTarget(http, influxd, DirectDatabase);
        var api = new ApiTarget(http, app, influxd, ApiDatabase);

        var warmups = IngestPayloads.Warmups(scenario, options.BatchSize);
        _afterRestart = warmups[0];
        await EndToEndIngest.WarmUpAsync(direct, warmups, options.Clients, influxd.RestartAsync);
        await EndToEndIngest.WarmUpAsync(api, warmups, options.Clients, influxd.RestartAsync);

        var runs = new List<IngestRun>();
        int[] patterns = [1, options.Clients];
        for (var round = 1; round <= options.Rounds; round++)
        {
            for (var p = 0; p < patterns.Length; p++)
            {
                // The direct lines carry the batch numbers the app gives this load (after every load before it), so
                // both paths write the very same points: the numbers grow as the app runs, and longer ones cost influxd more.
                var payloads = IngestPayloads.Build(scenario, options.BatchSize, Scenario.RunIndicatorId(round, patterns[p]), api.LastSequence + 1);
                var apiFirst = (round + p) % 2 == 0;
                foreach (var target in apiFirst ? new[] { api, direct } : [direct, api])
                {
                    var run = await RunAsync(target, payloads, patterns[p], round);
                    Console.WriteLine(FormattableString.Invariant(
                        $"  round {round}, {patterns[p]} client(s), {run.Path,-6}: {run.PointsPerSecond,9:N0} points/s end to end (last answer at {run.LastAnswer.TotalSeconds:F2} s, queryable at {run.Elapsed.TotalSeconds:F2} s){CpuPerPoint(run)}"));
                    runs.Add(run);
                }
            }
        }
        await influxd.Server.DropDatabaseAsync(DirectDatabase);
        await influxd.Server.DropDatabaseAsync(ApiDatabase);
        return runs;
    }

    /// <summary>Each process's CPU per point, so a change can be judged by the work it saves, not by one noisy rate.</summary>
    private static string CpuPerPoint(IngestRun run) =>
        run.Cpu is not { } cpu ? "" : "; CPU µs/point: " + string.Join(", ",
            cpu.ByProcess.Select(p => FormattableString.Invariant($"{p.Key} {p.Value.TotalMicroseconds / run.Points:F2}")));

    /// <summary>
    /// One run, on an emptied database. Should influxd lose sight of points it confirmed (<see cref="LostSightException"/>),
    /// it is restarted, which shows them again, and the run is repeated once, after one unmeasured load: its timing no
    /// longer says anything.
    /// </summary>
    private async Task<IngestRun> RunAsync(IngestTarget target, IngestPayloads payloads, int clients, int round)
    {
        for (var attempt = 1; ; attempt++)
        {
            await EmptyDatabaseAsync(target is ApiTarget ? ApiDatabase : DirectDatabase);
            try
            {
                return await EndToEndIngest.RunAsync(target, payloads, clients, round, influxd);
            }
            catch (LostSightException ex) when (attempt == 1)
            {
                await influxd.RestartAsync(ex);
                Console.WriteLine("  Repeating the run after one unmeasured load.");
                // Right after the restart the app's connections to influxd are gone and its drain is backing off: a run
                // then measured that (5.5 µs of app CPU per point instead of 2), not the write path.
                await EmptyDatabaseAsync(target is ApiTarget ? ApiDatabase : DirectDatabase);
                await EndToEndIngest.RunAsync(target, _afterRestart!, clients, round: 0);
            }
        }
    }

    /// <summary>
    /// Every run starts on an empty database: influxd writes more slowly into shards that already hold loads (it compacts
    /// them meanwhile), which would make later rounds slower than earlier ones. The app keeps writing to the same name;
    /// it has nothing queued between runs.
    /// </summary>
    private async Task EmptyDatabaseAsync(string database)
    {
        await influxd.Server.DropDatabaseAsync(database);
        await influxd.Server.CreateDatabaseAsync(database);
    }
}
