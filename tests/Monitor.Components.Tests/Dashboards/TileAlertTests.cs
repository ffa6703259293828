using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Pages.Dashboards;
using Monitor.Web.Components.Pages.Sites;
using static Monitor.Components.Tests.Infrastructure.AlertTestServices;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Dashboards;

/// <summary>Tiles and charts that say what is wrong: colours from alerts, the change over the range, thresholds and episodes on charts.</summary>
[UseCulture("en")]
public sealed class TileAlertTests : MonitorComponentTest
{
    private DateTimeOffset Now => Time.GetUtcNow();

    private IRenderedComponent<DashboardPage> RenderDashboard(string range = "7d")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"dashboards/{DashboardId}?range={range}");
        return Render<DashboardPage>(p => p.Add(c => c.Id, DashboardId));
    }

    private static IElement Tile(IRenderedComponent<DashboardPage> page, string site) => page.Find($".reading-tile[data-site='{site}']");

    [Fact]
    public async Task A_tile_takes_the_colour_of_its_worst_active_alert_and_a_tile_without_one_stays_neutral()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5), Reading("kirkuk", StationsOpen.Id, Now.AddHours(-2), 36));
        await RaiseAsync(Services, Alert("no-report", "mosul", StationsOpen.Id, Severity.Info, Now.AddHours(-30), noData: true, status: AlertStatus.Resolved,
            resolvedAt: Now.AddHours(-2)), Now);
        await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-9)), Now);
        await RaiseAsync(Services, Alert("stations-watch", "mosul", StationsOpen.Id, Severity.Warning, Now.AddHours(-9)), Now);

        var page = RenderDashboard();

        page.WaitForAssertion(() =>
        {
            var mosul = Tile(page, "mosul");
            Assert.Equal("critical", mosul.GetAttribute("data-alert"));
            Assert.Contains("alert-tone--critical", mosul.ClassList);
            Assert.Equal("Rule stations-low", mosul.QuerySelector("[data-alert-rule]")!.TextContent.Trim());
            var kirkuk = Tile(page, "kirkuk");
            Assert.Equal("neutral", kirkuk.GetAttribute("data-alert"));
            Assert.DoesNotContain(kirkuk.ClassList, c => c is "alert-tone--critical" or "alert-tone--warning" or "alert-tone--info");
        });
    }

    [Fact]
    public async Task A_silenced_alert_leaves_the_tile_neutral()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5));
        await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-9), silenced: true), Now);

        var page = RenderDashboard();

        page.WaitForAssertion(() => Assert.Equal("22.5%", Tile(page, "mosul").QuerySelector(".reading-tile__number")!.TextContent));
        Assert.Equal("neutral", Tile(page, "mosul").GetAttribute("data-alert"));
        Assert.Empty(Tile(page, "mosul").QuerySelectorAll("[data-alert-rule]"));
    }

    [Fact]
    public async Task A_tile_changes_colour_live_as_an_alert_fires_and_resolves()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5));
        var page = RenderDashboard();
        page.WaitForAssertion(() => Assert.Equal("neutral", Tile(page, "mosul").GetAttribute("data-alert")));

        var alert = await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-7)), Now);

        page.WaitForAssertion(() => Assert.Equal("critical", Tile(page, "mosul").GetAttribute("data-alert")));

        await RaiseAsync(Services, alert with { Status = AlertStatus.Resolved, ResolvedAt = Now }, Now);

        page.WaitForAssertion(() => Assert.Equal("neutral", Tile(page, "mosul").GetAttribute("data-alert")));
    }

    [Fact]
    public async Task A_no_data_alert_is_what_turns_the_freshness_mark_into_a_warning()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddDays(-3), 40), Reading("kirkuk", StationsOpen.Id, Now.AddDays(-3), 60));
        await RaiseAsync(Services, Alert("no-report", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-36), noData: true), Now);

        var page = RenderDashboard();

        page.WaitForAssertion(() =>
        {
            var mosul = Tile(page, "mosul").QuerySelector("[data-freshness]")!;
            Assert.Equal("critical", mosul.GetAttribute("data-no-data-alert"));
            Assert.Contains("freshness-mark--alert", mosul.ClassList);
            Assert.Equal("No report", mosul.TextContent.Trim());
            // Equally late, no alert: quiet.
            var kirkuk = Tile(page, "kirkuk").QuerySelector("[data-freshness]")!;
            Assert.Equal("delinquent", kirkuk.GetAttribute("data-freshness"));
            Assert.Null(kirkuk.GetAttribute("data-no-data-alert"));
        });
    }

    [Fact]
    public async Task A_percentage_tile_says_by_how_many_points_it_moved_over_the_range()
    {
        await SubmitAsync(
            Reading("mosul", StationsOpen.Id, Now.AddDays(-29), 85),
            Reading("mosul", StationsOpen.Id, Now.AddDays(-7.2), 40),
            Reading("mosul", StationsOpen.Id, Now.AddHours(-3), 22.5),
            Reading("kirkuk", StationsOpen.Id, Now.AddDays(-20), 36),
            Reading("kirkuk", StationsOpen.Id, Now.AddHours(-3), 36),
            Reading("erbil", StationsOpen.Id, Now.AddDays(-20), 40),
            Reading("erbil", StationsOpen.Id, Now.AddHours(-3), 47.5));

        var page = RenderDashboard("30d");

        page.WaitForAssertion(() =>
        {
            Assert.Equal("▼ 62.5 pts over 30 days", Tile(page, "mosul").QuerySelector("[data-change]")!.TextContent);
            Assert.Equal("No change over 30 days", Tile(page, "kirkuk").QuerySelector("[data-change]")!.TextContent);
            Assert.Equal("▲ 7.5 pts over 30 days", Tile(page, "erbil").QuerySelector("[data-change]")!.TextContent);
        });

        var week = RenderDashboard("7d");
        week.WaitForAssertion(() => Assert.Equal("▼ 17.5 pts over 7 days", Tile(week, "mosul").QuerySelector("[data-change]")!.TextContent));
    }

    [Fact]
    public async Task A_price_tile_on_the_site_page_says_its_change_in_percent()
    {
        await SubmitAsync(
            Reading("mosul", FuelPrice.Id, Now.AddDays(-6), 1000),
            Reading("mosul", FuelPrice.Id, Now.AddHours(-1), 1480),
            Reading("mosul", StationsOpen.Id, Now.AddHours(-1), 20));

        Services.GetRequiredService<NavigationManager>().NavigateTo("sites/mosul?range=7d");
        var page = Render<SitePage>(p => p.Add(c => c.Id, "mosul"));

        page.WaitForAssertion(() =>
        {
            var price = page.Find($".reading-tile[data-indicator='{FuelPrice.Id}']");
            Assert.Equal("▲ 48 % over 7 days", price.QuerySelector("[data-change]")!.TextContent);
        });
    }

    private async Task SaveRulesAsync()
    {
        await Services.GetRequiredService<AlertRules>().SaveAsync(new AlertRule(
            "stations-low", "Stations below 30 %", StationsOpen.Id, null, null, RuleOperator.Below, 30, 35, null, null, TimeSpan.FromHours(6), null,
            Severity.Critical, Enabled: true), "test", CancellationToken.None);
        // A rule on another site is not these charts' business.
        await Services.GetRequiredService<AlertRules>().SaveAsync(new AlertRule(
            "erbil-low", "Erbil below 50 %", StationsOpen.Id, "erbil", null, RuleOperator.Below, 50, null, null, null, null, null,
            Severity.Warning, Enabled: true), "test", CancellationToken.None);
    }

    [Fact]
    public async Task A_site_chart_draws_the_rule_threshold_as_a_line_and_alert_episodes_as_bands()
    {
        await SaveRulesAsync();
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddDays(-5), 40), Reading("mosul", StationsOpen.Id, Now.AddHours(-3), 22.5));
        await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddDays(-4), status: AlertStatus.Resolved,
            resolvedAt: Now.AddDays(-3)), Now);
        await RaiseAsync(Services, Alert("stations-low", "kirkuk", StationsOpen.Id, Severity.Critical, Now.AddDays(-2)), Now);
        // Long before the range: not drawn.
        await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddDays(-40), status: AlertStatus.Resolved,
            resolvedAt: Now.AddDays(-39)), Now);

        Services.GetRequiredService<NavigationManager>().NavigateTo("sites/mosul?range=7d");
        Render<SitePage>(p => p.Add(c => c.Id, "mosul"));

        await EventuallyAsync(() => Assert.NotNull(CreatedLine(StationsOpen.Id)));
        var annotations = CreatedLine(StationsOpen.Id)!["annotations"]!;
        var line = Assert.Single(annotations["yaxis"]!.AsArray())!;
        Assert.Equal(30, (double)line["y"]!);
        Assert.Equal("Stations below 30 %", (string)line["label"]!["text"]!);
        var band = Assert.Single(annotations["xaxis"]!.AsArray())!;
        Assert.Equal(Now.AddDays(-4).ToUnixTimeMilliseconds(), (long)band["x"]!);
        Assert.Equal(Now.AddDays(-3).ToUnixTimeMilliseconds(), (long)band["x2"]!);

        // An alert that fires now is shaded up to the end of the axis, on the chart already drawn.
        await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-8), value: 22.5), Now);

        await EventuallyAsync(() =>
        {
            var options = JsonNode.Parse((string)ChartModule.Invocations["updateOptions"][^1].Arguments[1]!)!;
            var bands = options["annotations"]!["xaxis"]!.AsArray();
            Assert.Equal(2, bands.Count);
            Assert.Equal(Now.ToUnixTimeMilliseconds(), (long)bands[1]!["x2"]!);
        });
    }

    [Fact]
    public async Task A_chart_of_several_sites_marks_each_firing_on_its_sites_line()
    {
        await SaveRulesAsync();
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddDays(-5), 40), Reading("mosul", StationsOpen.Id, Now.AddHours(-3), 22.5));
        await RaiseAsync(Services, Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddDays(-2), value: 25), Now);
        await RaiseAsync(Services, Alert("stations-low", "erbil", StationsOpen.Id, Severity.Critical, Now.AddDays(-2), value: 20), Now);

        var page = RenderDashboard();

        page.WaitForState(() => CreatedLine(StationsOpen.Id) is not null);
        var annotations = CreatedLine(StationsOpen.Id)!["annotations"]!;
        Assert.Equal(30, (double)Assert.Single(annotations["yaxis"]!.AsArray())!["y"]!);
        Assert.Empty(annotations["xaxis"]!.AsArray());
        var point = Assert.Single(annotations["points"]!.AsArray())!;
        Assert.Equal((Now.AddDays(-2).ToUnixTimeMilliseconds(), 25.0, "mosul"), ((long)point["x"]!, (double)point["y"]!, (string)point["label"]!["text"]!));
    }

    /// <summary>The options the line chart of an indicator was created with, once it has been.</summary>
    private JsonNode? CreatedLine(string indicatorId) =>
        ChartModule.Invocations["create"]
            .Select(i => JsonNode.Parse((string)i.Arguments[2]!)!)
            .FirstOrDefault(o => (string?)o["chart"]!["type"] == "line" && (string?)o["yaxis"]!["title"]!["text"] == IndicatorUnit(indicatorId));

    private static string IndicatorUnit(string indicatorId) => Indicators.Single(i => i.Id == indicatorId).Unit!;
}
