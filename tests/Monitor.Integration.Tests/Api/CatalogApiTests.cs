using System.Net;
using System.Text.Json.Nodes;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

public sealed class CatalogApiTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private readonly HttpClient _viewer = app.CreateClient(ViewerKey);

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _viewer.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task Sites_are_listed_with_the_documented_camel_case_fields()
    {
        var sites = (await GetJsonAsync("/api/sites")).AsArray();

        Assert.Equal(Sites.Select(s => s.Id).Order(), sites.Select(s => s!["id"]!.GetValue<string>()).Order());
        var baiji = sites.Single(s => s!["id"]!.GetValue<string>() == Baiji)!.AsObject();
        Assert.Equal(["country", "id", "kind", "latitude", "longitude", "name", "region"], baiji.Select(p => p.Key).Order());
        Assert.Equal("Baiji refinery", baiji["name"]!.GetValue<string>());
        Assert.Equal("refinery", baiji["kind"]!.GetValue<string>());
        Assert.Equal(SalahAdDin, baiji["region"]!.GetValue<string>());
        Assert.Equal("Iraq", baiji["country"]!.GetValue<string>());
        Assert.Equal(34.93, baiji["latitude"]!.GetValue<double>());
        Assert.Equal(43.49, baiji["longitude"]!.GetValue<double>());
    }

    [Fact]
    public async Task Hostile_site_name_comes_back_verbatim()
    {
        var list = (await GetJsonAsync("/api/sites")).AsArray();
        var one = await GetJsonAsync($"/api/sites/{TalAfar}");

        Assert.Equal(TalAfarName, list.Single(s => s!["id"]!.GetValue<string>() == TalAfar)!["name"]!.GetValue<string>());
        Assert.Equal(TalAfarName, one["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_site_is_found_by_id()
    {
        var site = await GetJsonAsync($"/api/sites/{AlQaim}");

        Assert.Equal(AlQaim, site["id"]!.GetValue<string>());
        Assert.Equal("border_crossing", site["kind"]!.GetValue<string>());
        Assert.Equal(Anbar, site["region"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("atlantis")]
    [InlineData("MOSUL")]
    [InlineData("%27%3B%20DROP%20TABLE%20sites%3B--")]
    public async Task Unknown_site_is_404_problem(string id)
    {
        using var response = await _viewer.GetAsync($"/api/sites/{id}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(Uri.UnescapeDataString(id), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicators_are_listed_with_kind_unit_range_states_and_site_kinds()
    {
        var indicators = (await GetJsonAsync("/api/indicators")).AsArray();

        Assert.Equal(Indicators.Select(i => i.Id).Order(StringComparer.Ordinal), indicators.Select(i => i!["id"]!.GetValue<string>()));
        var fuel = indicators.Single(i => i!["id"]!.GetValue<string>() == FuelStationsOpen)!;
        Assert.Equal("numeric", fuel["kind"]!.GetValue<string>());
        Assert.Equal("Fuel stations open", fuel["name"]!.GetValue<string>());
        Assert.Equal("%", fuel["unit"]!.GetValue<string>());
        Assert.Equal(0, fuel["min"]!.GetValue<double>());
        Assert.Equal(100, fuel["max"]!.GetValue<double>());
        Assert.Equal(["city"], fuel["siteKinds"]!.AsArray().Select(k => k!.GetValue<string>()));

        var refinery = indicators.Single(i => i!["id"]!.GetValue<string>() == RefineryStatus)!;
        Assert.Equal("state", refinery["kind"]!.GetValue<string>());
        Assert.Equal(["operating", "reduced", "offline"], refinery["states"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["refinery"], refinery["siteKinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Null(refinery["min"]);
        Assert.Null(refinery["unit"]);
    }

    [Fact]
    public async Task Latest_holds_the_newest_seeded_reading_of_each_indicator()
    {
        var latest = (await GetJsonAsync($"/api/sites/{Baiji}/latest")).AsArray();

        var reading = Assert.Single(latest)!;
        Assert.Equal(Baiji, reading["siteId"]!.GetValue<string>());
        Assert.Equal(RefineryStatus, reading["indicatorId"]!.GetValue<string>());
        Assert.Equal(Utc(2014, 6, 18, 4), reading["timestamp"]!.GetValue<DateTimeOffset>());
        Assert.Equal("offline", reading["state"]!.GetValue<string>());
        Assert.Equal("wire report", reading["source"]!.GetValue<string>());
        Assert.Equal("attacked overnight", reading["note"]!.GetValue<string>());
        Assert.Null(reading["value"]);
        Assert.Equal("delinquent", reading["freshness"]!.GetValue<string>());
    }

    [Fact]
    public async Task Latest_freshness_follows_the_age_against_the_cadence()
    {
        using var reporter = app.CreateClient(ReporterKey);
        var now = DateTimeOffset.UtcNow;
        await (await reporter.PostObservationsAsync(
            new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 71.5, timestamp = now.AddHours(-1), source = "hourly" })).AssertAcceptedAsync(1);
        await (await reporter.PostObservationsAsync(
            new { siteId = AlQaim, indicatorId = CrossingStatus, state = "restricted", timestamp = now.AddHours(-60) })).AssertAcceptedAsync(1);

        var kirkuk = Assert.Single((await GetJsonAsync($"/api/sites/{Kirkuk}/latest")).AsArray())!;
        var alQaim = Assert.Single((await GetJsonAsync($"/api/sites/{AlQaim}/latest")).AsArray())!;

        Assert.Equal(71.5, kirkuk["value"]!.GetValue<double>());
        Assert.Equal("hourly", kirkuk["source"]!.GetValue<string>());
        Assert.Equal("fresh", kirkuk["freshness"]!.GetValue<string>());
        Assert.Equal("restricted", alQaim["state"]!.GetValue<string>());
        Assert.Equal("overdue", alQaim["freshness"]!.GetValue<string>());
    }

    [Fact]
    public async Task Latest_of_a_site_without_readings_is_empty()
    {
        Assert.Empty((await GetJsonAsync($"/api/sites/{Rawa}/latest")).AsArray());
    }

    [Fact]
    public async Task Latest_of_an_unknown_site_is_404_problem()
    {
        using var response = await _viewer.GetAsync("/api/sites/atlantis/latest");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
