namespace Monitor.Bench;

/// <summary>
/// Line protocol straight to influxd against <c>POST /api/observations</c> into the same influxd, with one sequential
/// client and with several concurrent ones, repeated in rounds. Every run gets a fresh database (and the API a fresh
/// app), so counts are independent and no run finds the points of another; the order of the two paths alternates, so
/// neither always runs on a machine the other has just warmed or left busy.
/// </summary>
public sealed class IngestComparison(BenchOptions options, BenchInfluxd influxd, AppSettings settings, string appDll, IngestPayloads payloads, HttpClient http)
{
    public async Task<IReadOnlyList<IngestRun>> RunAsync()
    {
        var runs = new List<IngestRun>();
        int[] patterns = [1, options.Clients];
        for (var round = 1; round <= options.Rounds; round++)
        {
            for (var p = 0; p < patterns.Length; p++)
            {
                var apiFirst = (round + p) % 2 == 0;
                foreach (var api in apiFirst ? new[] { true, false } : [false, true])
                {
                    var run = api ? await ThroughApiAsync(patterns[p], round) : await DirectAsync(patterns[p], round);
                    Console.WriteLine(FormattableString.Invariant(
                        $"  round {round}, {patterns[p]} client(s), {run.Path,-6}: {run.PointsPerSecond,9:N0} points/s end to end (last answer at {run.LastAnswer.TotalSeconds:F2} s, queryable at {run.Elapsed.TotalSeconds:F2} s)"));
                    runs.Add(run);
                }
            }
        }
        return runs;
    }

    private async Task<IngestRun> DirectAsync(int clients, int round)
    {
        var database = $"direct_c{clients}_r{round}";
        await influxd.Server.CreateDatabaseAsync(database);
        try
        {
            var target = new LineProtocolTarget(http, influxd, database, payloads);
            await EndToEndIngest.WarmUpAsync(target, payloads);
            return await EndToEndIngest.RunAsync(target, clients, round, payloads);
        }
        finally
        {
            await influxd.Server.DropDatabaseAsync(database);
        }
    }

    private async Task<IngestRun> ThroughApiAsync(int clients, int round)
    {
        var database = $"api_c{clients}_r{round}";
        try
        {
            await using var app = await AppProcess.StartAsync(appDll, settings.InfluxDB(database));
            var target = new ApiTarget(http, app, influxd, database, payloads);
            await EndToEndIngest.WarmUpAsync(target, payloads);
            return await EndToEndIngest.RunAsync(target, clients, round, payloads);
        }
        finally
        {
            await influxd.Server.DropDatabaseAsync(database);
        }
    }
}
