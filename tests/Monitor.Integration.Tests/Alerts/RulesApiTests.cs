using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>Rules over HTTP: the documented shape round-trips; invalid rules are a 400 naming the field; nothing half-saved.</summary>
public sealed class RulesApiTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>, IDisposable
{
    private readonly HttpClient _coordinator = app.CreateClient(CoordinatorKey);
    private readonly HttpClient _viewer = app.CreateClient(ViewerKey);

    public void Dispose()
    {
        _coordinator.Dispose();
        _viewer.Dispose();
    }

    private Task<HttpResponseMessage> PostRuleAsync(string json) =>
        _coordinator.PostAsync("/api/rules", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_rule_round_trips_with_durations_as_TimeSpan_strings()
    {
        using var created = await PostRuleAsync("""
            {"id":"spike-mosul","name":"Mosul price spike","indicatorId":"fuel.stations_open_pct","siteId":"mosul","operator":"below",
             "threshold":30,"clearThreshold":35,"for":"06:00:00","staleAfter":"2.00:00:00","severity":"warning","enabled":true}
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/rules/spike-mosul", created.Headers.Location?.OriginalString);

        var listed = JsonDocument.Parse(await _viewer.GetStringAsync("/api/rules")).RootElement.EnumerateArray().Single(r => r.Str("id") == "spike-mosul");
        Assert.Equal("06:00:00", listed.Str("for"));
        Assert.Equal("2.00:00:00", listed.Str("staleAfter"));
        Assert.Equal("below", listed.Str("operator"));
        Assert.Equal("warning", listed.Str("severity"));
        Assert.Equal(35, listed.GetProperty("clearThreshold").GetDouble());

        using var updated = await _coordinator.PutAsJsonAsync("/api/rules/spike-mosul", new
        {
            name = "Mosul below 20", indicatorId = FuelStationsOpen, siteId = Mosul, @operator = "below", threshold = 20, severity = "critical", enabled = false,
        }, MonitorApi.Json);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = JsonDocument.Parse(await updated.Content.ReadAsStringAsync()).RootElement;
        Assert.False(after.GetProperty("enabled").GetBoolean());
        Assert.False(after.TryGetProperty("for", out _));

        using var taken = await PostRuleAsync("""{"id":"spike-mosul","name":"again","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":5,"severity":"info"}""");
        Assert.Contains("id", (await taken.AssertProblemAsync(HttpStatusCode.Conflict))["errors"]!.AsObject().Select(e => e.Key));
        using var missing = await _coordinator.PutAsJsonAsync("/api/rules/no-such-rule", new { name = "x" }, MonitorApi.Json);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        using var asViewer = await _viewer.PostAsJsonAsync("/api/rules", new { name = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
    }

    public static TheoryData<string, string> InvalidRules => new()
    {
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":130,"severity":"critical"}""", "threshold" },
        { """{"name":"a","indicatorId":"crossing.status","operator":"in","states":["shut"],"severity":"critical"}""", "states" },
        { """{"name":"a","indicatorId":"crossing.status","operator":"below","threshold":3,"severity":"critical"}""", "operator" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"in","states":["closed"],"severity":"critical"}""", "operator" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":30,"for":"9999.00:00:00","severity":"critical"}""", "for" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"spike","threshold":1.5,"severity":"critical"}""", "baselineWindow" },
        { """{"name":"a","indicatorId":"fuel.nope","operator":"below","threshold":30,"severity":"critical"}""", "indicatorId" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":30}""", "severity" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"sideways","threshold":30,"severity":"critical"}""", "operator" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":"30","severity":"critical"}""", "threshold" },
        { """{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":30,"severity":"critical","siteId":"baiji-refinery"}""", "siteId" },
        { """{"name":"","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":30,"severity":"critical"}""", "name" },
        { """{"id":"Not An Id","name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":30,"severity":"critical"}""", "id" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task An_invalid_rule_is_a_400_naming_the_field_and_nothing_is_saved(string json, string field)
    {
        var before = await _viewer.GetStringAsync("/api/rules");
        using var response = await PostRuleAsync(json);
        Assert.Contains(field, (await response.AssertValidationProblemAsync()).Keys);
        Assert.Equal(before, await _viewer.GetStringAsync("/api/rules"));
    }

    [Fact]
    public async Task A_rule_sent_as_text_is_refused_with_415()
    {
        using var response = await _coordinator.PostAsync("/api/rules",
            new StringContent("""{"name":"a","indicatorId":"fuel.stations_open_pct","operator":"below","threshold":30,"severity":"critical"}""", Encoding.UTF8, "text/plain"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task The_preview_replays_the_stored_history_without_saving_the_rule()
    {
        var before = await _viewer.GetStringAsync("/api/rules");
        using var response = await _coordinator.PostAsJsonAsync("/api/rules/preview", new
        {
            name = "Below 30 for 6 h", indicatorId = FuelStationsOpen, @operator = "below", threshold = 30, @for = "06:00:00", severity = "critical",
            from = Utc(2014, 6, 1, 0), to = Utc(2014, 6, 30, 0),
        }, MonitorApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var episodes = JsonDocument.Parse(body).RootElement.EnumerateArray().ToArray();

        // Seeded: Mosul 80 → 35 → 12 (11 June), Tal Afar 20 (16 June); Kirkuk stays at 60.
        Assert.Equal([Mosul, TalAfar], episodes.Select(e => e.Str("siteId")));
        var mosul = episodes[0];
        Assert.Equal(Utc(2014, 6, 11, 6), mosul.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(Utc(2014, 6, 11, 12), mosul.GetProperty("firedAt").GetDateTimeOffset());
        Assert.Equal(12, mosul.GetProperty("peak").GetDouble());
        Assert.Equal(before, await _viewer.GetStringAsync("/api/rules"));

        using var invalid = await _coordinator.PostAsJsonAsync("/api/rules/preview", new
        {
            rule = new { name = "x", indicatorId = FuelStationsOpen, @operator = "below", threshold = 30, severity = "critical" },
            from = Utc(2014, 6, 30, 0), to = Utc(2014, 6, 1, 0),
        }, MonitorApi.Json);
        Assert.Contains("to", (await invalid.AssertValidationProblemAsync()).Keys);
    }
}
