using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.TestServers;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>
/// Restart safety with the app as a real child process ended by <c>kill -9</c>: active and pending alerts, their timers,
/// acknowledgements and silences survive; nothing fires twice for one episode, and a batch the engine had no time to
/// evaluate before the kill is evaluated after the restart.
/// </summary>
public sealed class AlertRestartTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public AlertRestartTests()
    {
        TestScenario.Write(_root.File("seed"));
        Directory.CreateDirectory(_root.File("dashboards"));
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Alerts_timers_acknowledgements_and_silences_survive_kill_9_and_nothing_fires_twice()
    {
        var day = new DateTimeOffset(2021, 5, 1, 0, 0, 0, TimeSpan.Zero);
        string firingId, silencedId, pendingRule;
        DateTimeOffset pendingStart;
        IReadOnlyDictionary<string, long> sequencesBefore;
        await using (var first = await StartAsync())
        {
            using var coordinator = Client(first, CoordinatorKey);
            using var reporter = Client(first, ReporterKey);
            var mosulRule = await RuleAsync(coordinator, new { name = "Mosul low", indicatorId = FuelStationsOpen, siteId = Mosul, @operator = "below", threshold = 30, severity = "critical" });
            var talAfarRule = await RuleAsync(coordinator, new { name = "Tal Afar low", indicatorId = FuelStationsOpen, siteId = TalAfar, @operator = "below", threshold = 30, severity = "warning" });
            pendingRule = await RuleAsync(coordinator, new { name = "Kirkuk low for 4 s", indicatorId = FuelStationsOpen, siteId = Kirkuk, @operator = "below", threshold = 30, @for = "00:00:04", severity = "critical" });
            (await coordinator.PostAsJsonAsync("/api/silences", new { ruleId = talAfarRule, endsAt = DateTimeOffset.UtcNow.AddHours(1), reason = "known" })).EnsureSuccessStatusCode();

            await PostAsync(reporter, Mosul, 10, day);
            await PostAsync(reporter, TalAfar, 10, day);
            pendingStart = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await PostAsync(reporter, Kirkuk, 10, pendingStart);

            var alerts = await EventuallyAsync(coordinator, all => all.Count(a => a.Str("status") != "resolved") == 3 ? all : null);
            firingId = alerts.Single(a => a.Str("ruleId") == mosulRule).Str("id");
            silencedId = alerts.Single(a => a.Str("ruleId") == talAfarRule).Str("id");
            Assert.Equal("pending", alerts.Single(a => a.Str("ruleId") == pendingRule).Str("status"));
            using var acknowledged = await coordinator.PostAsJsonAsync($"/api/alerts/{firingId}/acknowledge", new { comment = "on it", until = DateTimeOffset.UtcNow.AddHours(2) });
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

            sequencesBefore = (await AlertsAsync(coordinator)).Where(a => a.Str("id") is var id && (id == firingId || id == silencedId))
                .ToDictionary(a => a.Str("id"), a => a.Sequence());

            // The last batch before the kill: the engine may or may not have evaluated it; either way it counts once.
            await RuleAsync(coordinator, new { name = "Rawa low", indicatorId = FuelStationsOpen, siteId = Rawa, @operator = "below", threshold = 30, severity = "info" });
            await PostAsync(reporter, Rawa, 5, day);
            await first.KillAsync();
        }

        await using var second = await StartAsync();
        using var client = Client(second, CoordinatorKey);
        var after = await AlertsAsync(client);

        var firing = after.Single(a => a.Str("id") == firingId);
        Assert.Equal("firing", firing.Str("status"));
        Assert.Equal("key:test coordinator", firing.Str("acknowledgedBy"));
        Assert.Equal(sequencesBefore[firingId], firing.Sequence());
        var silenced = after.Single(a => a.Str("id") == silencedId);
        Assert.True(silenced.GetProperty("silenced").GetBoolean());
        Assert.Equal(sequencesBefore[silencedId], silenced.Sequence());
        Assert.Single(JsonDocument.Parse(await client.GetStringAsync("/api/silences")).RootElement.EnumerateArray());

        // The pending period ran on through the restart: it fires at start + 4 s, once.
        var fired = await EventuallyAsync(client, all => all.SingleOrDefault(a => a.Str("ruleId") == pendingRule && a.Str("status") == "firing") is { ValueKind: JsonValueKind.Object } f ? [f] : null);
        Assert.Equal(pendingStart.AddSeconds(4), fired[0].GetProperty("firedAt").GetDateTimeOffset());
        var pendingHistory = await HistoryAsync(client, fired[0].Str("id"));
        Assert.Equal(["pending", "firing"], pendingHistory.Select(a => a.Str("status")));

        // The Rawa breach raised exactly one alert with exactly one firing change, whichever run evaluated it.
        var rawa = await EventuallyAsync(client, all => all.Where(a => a.Str("siteId") == Rawa).ToArray() is { Length: > 0 } found ? found : null);
        Assert.Single(rawa);
        Assert.Single(await HistoryAsync(client, rawa[0].Str("id")), a => a.Str("status") == "firing");
        var firingHistory = await HistoryAsync(client, firingId);
        Assert.Equal(["firing", "firing"], firingHistory.Select(a => a.Str("status")));
        Assert.Equal([false, true], firingHistory.Select(a => a.TryGetProperty("acknowledgedBy", out _)));
        Assert.All(firingHistory, a => Assert.True(a.Sequence() <= sequencesBefore[firingId]));
    }

    private async Task<AppProcess> StartAsync() => await AppProcess.StartAsync(AppProcess.BesideThisAssembly(), new Dictionary<string, string>
    {
        ["Monitor__DataDirectory"] = _root.File("data"),
        ["Monitor__SeedDirectory"] = _root.File("seed"),
        ["Monitor__DashboardsDirectory"] = _root.File("dashboards"),
        ["Alerts__SweepInterval"] = "00:00:00.1",
        ["Auth__ApiKeys__0__Name"] = "test coordinator",
        ["Auth__ApiKeys__0__Key"] = CoordinatorKey,
        ["Auth__ApiKeys__0__Role"] = "Coordinator",
        ["Auth__ApiKeys__1__Name"] = "test reporter",
        ["Auth__ApiKeys__1__Key"] = ReporterKey,
        ["Auth__ApiKeys__1__Role"] = "Reporter",
    }, AppProcess.Serving);

    private static HttpClient Client(AppProcess app, string key)
    {
        var client = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<string> RuleAsync(HttpClient coordinator, object rule)
    {
        using var response = await coordinator.PostAsJsonAsync("/api/rules", rule, MonitorApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Str("id");
    }

    private static async Task PostAsync(HttpClient reporter, string siteId, double value, DateTimeOffset at) =>
        await (await reporter.PostObservationsAsync(new { siteId, indicatorId = FuelStationsOpen, value, timestamp = at })).AssertAcceptedAsync(1);

    private static async Task<JsonElement[]> AlertsAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/api/alerts?status=all")).RootElement.EnumerateArray().ToArray();

    private static async Task<JsonElement[]> HistoryAsync(HttpClient client, string id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/alerts/{id}/history")).RootElement.EnumerateArray().ToArray();

    private static async Task<JsonElement[]> EventuallyAsync(HttpClient client, Func<JsonElement[], JsonElement[]?> probe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe(await AlertsAsync(client)) is { } found) return found;
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException("The alerts did not reach the expected state within 15 s.");
            await Task.Delay(100);
        }
    }
}
