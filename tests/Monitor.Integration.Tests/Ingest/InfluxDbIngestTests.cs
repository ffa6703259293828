using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Admin;
using Monitor.Integration.Tests.Alerts;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.TestServers;
using Monitor.Web.Audit;
using Monitor.Web.Observations.Outbox;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// The write path on a real influxd (a fresh database per test): batches wait in the on-disk outbox until the drain
/// writes them, reads merge the outbox over InfluxDB, and a batch accepted during an outage is checked against InfluxDB
/// when it drains — a colliding reading keeps the stored one and is filed as a conflict a Coordinator decides.
/// </summary>
[Collection(InfluxdCollection.Name)]
public sealed class InfluxDbIngestTests(InfluxdFixture influxd) : IngestContract
{
    private readonly string _database = "ingest_" + Guid.NewGuid().ToString("N");

    protected override bool Queues => true;

    protected override MonitorAppFactory CreateApp(Action<IServiceCollection> holdDrain) =>
        OnInfluxd(new MonitorAppFactory { TestServices = holdDrain });

    private MonitorAppFactory OnInfluxd(MonitorAppFactory app)
    {
        app.Settings["Storage:Provider"] = "InfluxDB";
        app.Settings["InfluxDB:Url"] = influxd.Url.ToString();
        app.Settings["InfluxDB:Database"] = _database;
        return app;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await influxd.DropDatabaseAsync(_database);
    }

    protected override async Task<int> StoredCountAsync(string siteId, string indicatorId, DateTimeOffset from, DateTimeOffset to)
    {
        var answer = JsonNode.Parse(await influxd.QueryAsync(
            $"SELECT count(state) FROM observation WHERE site = '{siteId}' AND indicator = '{indicatorId}' " +
            $"AND time >= {from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}ms " +
            $"AND time <= {to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}ms", _database))!;
        return answer["results"]![0]!["series"]?[0]!["values"]![0]![1]!.GetValue<int>() ?? 0;
    }

    [Fact]
    public async Task A_reading_still_queued_at_a_restart_is_guarded_once_written_on()
    {
        var day = NewWindow();
        using var data = new TemporaryDirectory();
        using (var first = OnInfluxd(new MonitorAppFactory { DataDirectory = data.File("data"), TestServices = HoldDrain }))
        using (var reporter = first.CreateClient(ReporterKey))
        {
            await (await reporter.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 12.5, timestamp = day })).AssertAcceptedAsync(1);
        }

        // Restarted on the same data: the outbox is reloaded and its drain (not held now) writes the reading on.
        using var restarted = OnInfluxd(new MonitorAppFactory { DataDirectory = data.File("data") });
        using var client = restarted.CreateClient(ReporterKey);
        var pending = restarted.Services.GetRequiredService<PendingChanges>();
        await AlertScenario.WaitUntilAsync(() => pending.Count == 0, "the reloaded outbox to drain");
        Assert.Equal(1, await StoredCountAsync(Mosul, FuelStationsOpen, day, day));

        using var refused = await client.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 100, timestamp = day });
        await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal([12.5], (await client.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
    }

    [Fact]
    public async Task A_reading_sent_during_an_outage_that_collides_is_filed_as_a_conflict_a_coordinator_applies()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 12.5, timestamp = day })).AssertAcceptedAsync(1);
        await DrainAsync();
        using var coordinator = App.CreateClient(CoordinatorKey);

        await influxd.StopAsync();
        try
        {
            // InfluxDB cannot be asked what it holds, so the batch is accepted and checked when it drains.
            await (await Reporter.PostObservationsAsync(
                new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 100, timestamp = day, source = "late radio" },
                new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 14, timestamp = day.AddHours(1) })).AssertAcceptedAsync(2);
        }
        finally
        {
            await influxd.StartAsync();
        }
        await DrainAsync();

        Assert.Equal([12.5, 14], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
        var conflict = Assert.Single(await OpenConflictsAsync(coordinator))!;
        Assert.Equal(100, conflict["proposed"]!["value"]!.GetValue<double>());
        Assert.Equal(12.5, conflict["existing"]!["value"]!.GetValue<double>());
        Assert.Equal("key:test reporter", conflict["submittedBy"]!.GetValue<string>());
        Assert.Single(await App.AuditRowsAsync(AuditActions.ConflictsFiled));

        var id = conflict["id"]!.GetValue<long>();
        using var applied = await coordinator.PostAsync($"/api/observations/conflicts/{id}/apply", null);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        await DrainAsync();

        Assert.Equal([100, 14], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
        var history = await Reporter.GetHistoryAsync(Mosul, FuelStationsOpen, day);
        Assert.Equal([12.5, 100], history.Select(v => v.Value!.Value));
        Assert.Equal("key:test coordinator", history[^1].RecordedBy);
        Assert.Empty(await OpenConflictsAsync(coordinator));
        Assert.NotNull(await App.SingleAuditAsync(AuditActions.ConflictApplied, id.ToString(CultureInfo.InvariantCulture)));
        using var again = await coordinator.PostAsync($"/api/observations/conflicts/{id}/apply", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_discarded_conflict_keeps_the_stored_reading_and_is_audited()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 60, timestamp = day })).AssertAcceptedAsync(1);
        await DrainAsync();
        using var coordinator = App.CreateClient(CoordinatorKey);
        await influxd.StopAsync();
        try
        {
            await (await Reporter.PostObservationsAsync(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 61, timestamp = day }))
                .AssertAcceptedAsync(1);
            // While queued, the page shows what the reporter sent; the drain decides.
        }
        finally
        {
            await influxd.StartAsync();
        }
        await DrainAsync();
        var id = Assert.Single(await OpenConflictsAsync(coordinator))!["id"]!.GetValue<long>();

        using var viewer = App.CreateClient(ViewerKey);
        using var forbidden = await viewer.PostAsync($"/api/observations/conflicts/{id}/discard", null);
        using var discarded = await coordinator.PostAsync($"/api/observations/conflicts/{id}/discard", null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, discarded.StatusCode);
        Assert.Equal([60], (await Reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Select(p => p.Value));
        Assert.Empty(await OpenConflictsAsync(coordinator));
        Assert.NotNull(await App.SingleAuditAsync(AuditActions.ConflictDiscarded, id.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_full_queue_refuses_writes_with_503_and_Retry_After_and_health_says_so_until_InfluxDB_catches_up()
    {
        App.Settings["Outbox:MaxBacklog"] = "10000";
        await DrainAsync();
        var day = NewWindow();
        object[] Batch(int count, int offset) => Enumerable.Range(offset, count)
            .Select(i => (object)new { siteId = Rawa, indicatorId = FuelStationsOpen, value = i % 100, timestamp = day.AddSeconds(i) }).ToArray();

        await influxd.StopAsync();
        HttpResponseMessage refused;
        string health;
        try
        {
            await (await Reporter.PostObservationsAsync(Batch(10_000, 0))).AssertAcceptedAsync(10_000);
            refused = await Reporter.PostObservationsAsync(Batch(1, 10_000));
            using var client = App.CreateClient();
            using var answer = await client.GetAsync("/healthz");
            health = $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}";
        }
        finally
        {
            await influxd.StartAsync();
        }

        var problem = await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("10,000 observations waiting", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("503 Unhealthy: The write queue is full", health, StringComparison.Ordinal);
        refused.Dispose();

        await DrainAsync();
        await (await Reporter.PostObservationsAsync(Batch(1, 10_000))).AssertAcceptedAsync(1);
        Assert.Equal(10_001, (await Reporter.GetDayAsync(Rawa, FuelStationsOpen, day)).Count);
    }

    private static async Task<JsonArray> OpenConflictsAsync(HttpClient coordinator)
    {
        using var response = await coordinator.GetAsync("/api/observations/conflicts");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsArray();
    }
}
