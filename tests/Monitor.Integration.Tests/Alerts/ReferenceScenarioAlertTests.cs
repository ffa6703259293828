using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Alerts;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>The app on the shipped reference scenario (seed-data/), with its shipped rules.</summary>
public sealed class ReferenceScenarioApp : MonitorAppFactory
{
    public ReferenceScenarioApp() => Settings["Monitor:SeedDirectory"] = Path.Combine(AppContext.BaseDirectory, "seed-data");
}

public sealed class ReferenceScenarioAlertTests(ReferenceScenarioApp app) : IClassFixture<ReferenceScenarioApp>
{
    [Fact]
    public async Task Fuel_stations_open_below_30_percent_for_6_hours_previews_Mosul_and_Tal_Afar()
    {
        using var coordinator = app.CreateClient(TestScenario.CoordinatorKey);
        using var response = await coordinator.PostAsJsonAsync("/api/rules/preview", new
        {
            name = "Fuel stations open below 30 % for 6 h", indicatorId = "fuel.stations_open_pct", @operator = "below", threshold = 30,
            @for = "06:00:00", severity = "critical",
        }, MonitorApi.Json);
        var sites = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Str("siteId")).ToArray();

        Assert.Contains("mosul", sites);
        Assert.Contains("tal-afar", sites);
        Assert.DoesNotContain("erbil", sites);
    }

    [Fact]
    public async Task The_shipped_rules_raise_the_scenario_alerts_on_first_start_with_when_each_episode_began()
    {
        using var viewer = app.CreateClient(TestScenario.ViewerKey);
        // The engine evaluates the stored history in the background once the app serves: wait for that, not for time.
        await app.Services.GetRequiredService<AlertEngine>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        var rules = JsonDocument.Parse(await viewer.GetStringAsync("/api/rules")).RootElement.EnumerateArray().Select(r => r.Str("id")).ToArray();
        Assert.Equal(["border-crossing-closed", "fuel-price-spike", "fuel-stations-low", "fuel-stations-no-report", "refinery-down"], rules.Order());

        var alerts = JsonDocument.Parse(await viewer.GetStringAsync("/api/alerts")).RootElement.EnumerateArray().ToArray();
        var mosul = alerts.Single(a => a.Str("ruleId") == "fuel-stations-low" && a.Str("siteId") == "mosul");
        Assert.Equal("firing", mosul.Str("status"));
        Assert.Equal(new DateTimeOffset(2014, 6, 10, 6, 0, 0, TimeSpan.Zero), mosul.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Contains(alerts, a => a.Str("ruleId") == "border-crossing-closed" && a.Str("siteId") == "al-qaim-crossing");
        Assert.Contains(alerts, a => a.Str("ruleId") == "refinery-down" && a.Str("siteId") == "baiji-refinery");
        Assert.DoesNotContain(alerts, a => a.Str("ruleId") == "fuel-stations-low" && a.Str("siteId") == "erbil");
    }
}
