using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;
using static Monitor.Integration.Tests.Import.ImportApi;

namespace Monitor.Integration.Tests.Import;

/// <summary>Imports into a real influxd: committed rows reach InfluxDB through the outbox; a refused file queues nothing.</summary>
[Collection(InfluxdCollection.Name)]
public sealed class InfluxDbImportTests(InfluxdFixture influxd) : IAsyncLifetime
{
    private readonly string _database = "import_" + Guid.NewGuid().ToString("N");
    private KestrelMonitorAppFactory _app = null!;
    private HttpClient _reporter = null!;

    public Task InitializeAsync()
    {
        _app = new KestrelMonitorAppFactory();
        _app.Settings["Storage:Provider"] = "InfluxDB";
        _app.Settings["InfluxDB:Url"] = influxd.Url.ToString();
        _app.Settings["InfluxDB:Database"] = _database;
        _reporter = ObservationImportTests.Client(_app, ReporterKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _reporter.Dispose();
        await _app.DisposeAsync();
        await influxd.DropDatabaseAsync(_database);
    }

    private static string Rows(DateTimeOffset day, int count, string? lastValue = null)
    {
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < count; i++)
        {
            var value = i == count - 1 && lastValue is not null ? lastValue : (i % 100).ToString(CultureInfo.InvariantCulture);
            csv.Append($"{Mosul},{FuelStationsOpen},{Iso(day.AddSeconds(i * 30))},{value},,import test,\"row {i}, quoted\"\n");
        }
        return csv.ToString();
    }

    private async Task<int> InfluxCountAsync(DateTimeOffset day)
    {
        var answer = JsonNode.Parse(await influxd.QueryAsync(
            $"SELECT count(state) FROM observation WHERE site = '{Mosul}' AND indicator = '{FuelStationsOpen}' " +
            $"AND time >= {day.ToUnixTimeMilliseconds()}ms AND time < {day.AddDays(1).ToUnixTimeMilliseconds()}ms", _database))!;
        return answer["results"]?[0]?["series"]?[0]?["values"]?[0]?[1]?.GetValue<int>() ?? 0;
    }

    [Fact]
    public async Task Imported_rows_become_queryable_in_InfluxDB()
    {
        var day = NewWindow();

        var answer = await (await _reporter.PostCsvAsync(Rows(day, 2_000))).ReadImportAsync();

        Assert.Equal((2_000, 0), (answer.Imported, answer.Rejected));
        var clock = Stopwatch.StartNew();
        while (await InfluxCountAsync(day) < 2_000)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"InfluxDB holds {await InfluxCountAsync(day)} of 2,000 rows.");
            await Task.Delay(50);
        }
        Assert.Equal(2_000, await InfluxCountAsync(day));
        Assert.Equal("row 1999, quoted", (await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day))[^1].Note);
    }

    [Fact]
    public async Task A_refused_file_queues_nothing_and_writes_nothing()
    {
        var day = NewWindow();

        var answer = await (await _reporter.PostCsvAsync(Rows(day, 6_000, lastValue: "101"))).ReadImportAsync(HttpStatusCode.BadRequest);

        Assert.Equal((0, 1), (answer.Imported, answer.Rejected));
        Assert.Equal(6_001, Assert.Single(answer.Errors).Line);
        // Reads merge the outbox, so an empty day means nothing was queued either.
        Assert.Empty(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
        Assert.Equal(0, await InfluxCountAsync(day));
    }
}
