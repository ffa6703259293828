using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Components.Controls.Panels;
using Monitor.Web.Components.Pages.Dashboards;
using Monitor.Web.Observations;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Dashboards;

public sealed class DashboardPageTests : MonitorComponentTest
{
    private DateTimeOffset Now => Time.GetUtcNow();

    [Fact]
    public async Task A_tile_shows_the_latest_value_its_age_and_its_freshness()
    {
        await SubmitAsync(
            Reading("mosul", StationsOpen.Id, Now.AddHours(-30), 55),
            Reading("mosul", StationsOpen.Id, Now.AddHours(-3), 40.5),
            Reading("kirkuk", StationsOpen.Id, Now.AddHours(-30), 72),
            Reading("erbil", StationsOpen.Id, Now.AddDays(-9), 90));

        var page = RenderDashboard();

        page.WaitForAssertion(() =>
        {
            var mosul = Tile(page, "mosul");
            Assert.Equal("40.5%", mosul.QuerySelector(".reading-tile__number")!.TextContent);
            Assert.Equal("3 h ago", mosul.QuerySelector(".reading-tile__age")!.TextContent);
            Assert.Equal("fresh", mosul.QuerySelector("[data-freshness]")!.GetAttribute("data-freshness"));

            // 30 h against a 12 h cadence: more than twice late, not yet three times.
            var kirkuk = Tile(page, "kirkuk");
            Assert.Equal("30 h ago", kirkuk.QuerySelector(".reading-tile__age")!.TextContent);
            Assert.Equal("overdue", kirkuk.QuerySelector("[data-freshness]")!.GetAttribute("data-freshness"));

            // Late, but no rule says so: the lateness is a quiet mark, and the tile stays neutral rather than red.
            var erbil = Tile(page, "erbil");
            Assert.Equal("19 Jun 2014", erbil.QuerySelector(".reading-tile__age")!.TextContent);
            var freshness = erbil.QuerySelector("[data-freshness]")!;
            Assert.Equal("delinquent", freshness.GetAttribute("data-freshness"));
            Assert.Equal("Delinquent", freshness.TextContent.Trim());
            Assert.DoesNotContain("freshness-mark--alert", freshness.ClassList);
            Assert.Equal("neutral", erbil.GetAttribute("data-alert"));
        });
        Assert.Equal("sites/mosul", Tile(page, "mosul").QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Ages_and_freshness_move_on_with_the_clock_while_the_page_stays_open()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-11), 40));
        var page = RenderDashboard();
        page.WaitForAssertion(() => Assert.Equal("fresh", Tile(page, "mosul").QuerySelector("[data-freshness]")!.GetAttribute("data-freshness")));

        Time.Advance(TimeSpan.FromHours(2));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("13 h ago", Tile(page, "mosul").QuerySelector(".reading-tile__age")!.TextContent);
            Assert.Equal("due", Tile(page, "mosul").QuerySelector("[data-freshness]")!.GetAttribute("data-freshness"));
        });
    }

    [Fact]
    public async Task A_state_tile_shows_the_state_in_its_colour()
    {
        await SubmitAsync(Reading("al-qaim-crossing", BorderStatus.Id, Now.AddHours(-2), "closed"));
        var dashboard = await ProvisionAsync("""
            { "id": "west", "title": "West", "panels": [
              { "title": "Crossings", "indicator": "border.status", "view": "tiles", "sites": ["al-qaim-crossing"] } ] }
            """);

        var page = Render<DashboardPage>(p => p.Add(c => c.Id, dashboard));

        page.WaitForAssertion(() =>
        {
            var chip = Tile(page, "al-qaim-crossing").QuerySelector(".state-chip")!;
            Assert.Equal("Closed", chip.TextContent);
            Assert.Contains("background-color:#C62828", chip.GetAttribute("style"));
        });
    }

    [Fact]
    public async Task A_chart_panel_draws_the_series_downsampled_by_the_store()
    {
        var from = Now.AddDays(-6);
        var readings = Enumerable.Range(0, 3_000).Select(i => Reading("mosul", StationsOpen.Id, from.AddMinutes(2 * i), i % 100)).ToArray();
        await SubmitAsync(readings);
        await SubmitAsync(Reading("kirkuk", StationsOpen.Id, Now.AddHours(-1), 61));

        var page = RenderDashboard();

        page.WaitForState(() => CreatedLineSeries() is not null);
        var series = CreatedLineSeries()!;
        Assert.Equal(["Mosul", "Kirkuk"], series.Select(s => (string)s!["name"]!));
        var mosul = series[0]!["data"]!.AsArray();
        var expected = await Store.QueryAsync(
            new SeriesQuery("mosul", StationsOpen.Id, Now.AddDays(-7), Now, ChartPanel.MaxPoints), IndicatorKind.Numeric, CancellationToken.None);
        Assert.InRange(mosul.Count, 2, ChartPanel.MaxPoints);
        Assert.Equal(expected.Count, mosul.Count);
        Assert.Equal(expected[0].Timestamp.ToUnixTimeMilliseconds(), (long)mosul[0]![0]!);
        Assert.Equal(Math.Round(expected[0].Value!.Value, 2), (double)mosul[0]![1]!);
        Assert.Equal("[[" + Now.AddHours(-1).ToUnixTimeMilliseconds() + ",61]]", series[1]!["data"]!.ToJsonString());
    }

    [Fact]
    public async Task A_published_observation_updates_the_shown_tile_without_reloading()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-5), 40));
        var page = RenderDashboard();
        page.WaitForAssertion(() => Assert.Equal("40%", Tile(page, "mosul").QuerySelector(".reading-tile__number")!.TextContent));

        // Announced only, never stored: the tile can learn it from the feed alone.
        Announce([new RecordedObservation("mosul", "Ninawa", StationsOpen.Id, Now.AddMinutes(-10), 12.5, null, "test", null)]);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("12.5%", Tile(page, "mosul").QuerySelector(".reading-tile__number")!.TextContent);
            Assert.Equal("10 min ago", Tile(page, "mosul").QuerySelector(".reading-tile__age")!.TextContent);
        });
    }

    [Fact]
    public async Task A_published_observation_is_appended_to_the_chart_without_re_creating_it()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-5), 40));
        var page = RenderDashboard();
        page.WaitForState(() => CreatedLineSeries() is not null);

        Announce([new RecordedObservation("mosul", "Ninawa", StationsOpen.Id, Now.AddMinutes(-10), 12.5, null, "test", null)]);

        await EventuallyAsync(() =>
        {
            var update = Assert.Single(ChartModule.Invocations["updateSeries"]);
            var mosul = JsonNode.Parse((string)update.Arguments[1]!)!.AsArray()[0]!["data"]!.AsArray();
            Assert.Equal([40, 12.5], mosul.Select(p => (double)p![1]!));
        });
        // The dashboard's two charts (line and timeline), each created once.
        Assert.Equal(2, ChartModule.Invocations["create"].Count);
    }

    [Fact]
    public async Task A_reading_past_the_end_of_a_live_range_stretches_the_axis_of_the_existing_chart()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-5), 40));
        var page = RenderDashboard();
        page.WaitForState(() => CreatedLineSeries() is not null);
        Time.Advance(TimeSpan.FromMinutes(30));

        Announce([new RecordedObservation("mosul", "Ninawa", StationsOpen.Id, Now.AddMinutes(-1), 12.5, null, "test", null)]);

        await EventuallyAsync(() =>
        {
            var options = JsonNode.Parse((string)Assert.Single(ChartModule.Invocations["updateOptions"]).Arguments[1]!)!;
            Assert.Equal(Now.ToUnixTimeMilliseconds(), (long)options["xaxis"]!["max"]!);
            Assert.Equal("[40,12.5]", new JsonArray([.. options["series"]![0]!["data"]!.AsArray().Select(p => p![1]!.DeepClone())]).ToJsonString());
        });
        Assert.Equal(2, ChartModule.Invocations["create"].Count);
    }

    [Fact]
    public async Task A_ten_thousand_observation_import_updates_the_chart_once()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-5), 40));
        var page = RenderDashboard();
        page.WaitForState(() => CreatedLineSeries() is not null);

        var start = Now.AddHours(-4);
        Announce([.. Enumerable.Range(0, 10_000).Select(i =>
            new RecordedObservation(i % 2 == 0 ? "mosul" : "kirkuk", "Ninawa", StationsOpen.Id, start.AddSeconds(i), i % 100, null, "bulk", null))]);

        page.WaitForAssertion(() => Assert.Equal("99%", Tile(page, "kirkuk").QuerySelector(".reading-tile__number")!.TextContent));
        await EventuallyAsync(() => Assert.NotEmpty(ChartModule.Invocations["updateSeries"]));
        var update = Assert.Single(ChartModule.Invocations["updateSeries"]);
        var series = JsonNode.Parse((string)update.Arguments[1]!)!.AsArray();
        Assert.Equal(5_001, series[0]!["data"]!.AsArray().Count);
        Assert.Equal(5_000, series[1]!["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Observations_that_arrive_while_the_page_is_busy_are_applied_together()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-5), 40));
        var page = RenderDashboard();
        page.WaitForState(() => CreatedLineSeries() is not null);

        // Occupy the renderer, as a slow render would, while a hundred separate batches are announced.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var busy = Task.Run(() => page.InvokeAsync(() =>
        {
            entered.Set();
            release.Wait();
        }));
        entered.Wait();
        var start = Now.AddHours(-4);
        for (var batch = 0; batch < 100; batch++)
        {
            Announce([.. Enumerable.Range(0, 100).Select(i =>
                new RecordedObservation("mosul", "Ninawa", StationsOpen.Id, start.AddSeconds(batch * 100 + i), batch, null, "bulk", null))]);
        }
        // Every batch has reached the page's subscription (gathered, since the renderer is still busy).
        var last = Feed.LastSequence;
        await EventuallyAsync(() => Assert.True(Feed.HasHandedOver(last)));
        release.Set();
        await busy;

        page.WaitForAssertion(() => Assert.Equal("99%", Tile(page, "mosul").QuerySelector(".reading-tile__number")!.TextContent));
        page.WaitForAssertion(() =>
        {
            var last = JsonNode.Parse((string)ChartModule.Invocations["updateSeries"][^1].Arguments[1]!)!.AsArray();
            Assert.Equal(10_001, last[0]!["data"]!.AsArray().Count);
        });
        // The first batch was handed over on its own (its render waited); everything that arrived meanwhile came as one more.
        Assert.Equal(2, ChartModule.Invocations["updateSeries"].Count);
    }

    [Fact]
    public async Task When_the_newest_data_is_older_than_the_range_the_page_shows_the_latest_data_and_says_so()
    {
        await SubmitAsync(
            Reading("mosul", StationsOpen.Id, new DateTimeOffset(2014, 6, 20, 6, 0, 0, TimeSpan.Zero), 50),
            Reading("mosul", StationsOpen.Id, new DateTimeOffset(2014, 6, 25, 18, 0, 0, TimeSpan.Zero), 22.5));

        var page = RenderDashboard(range: "24h");

        page.WaitForAssertion(() =>
        {
            var notice = page.Find("[data-range-anchored]");
            Assert.Contains("Showing the most recent data, up to 25 Jun 2014 18:00 UTC — no newer observations.", notice.TextContent);
        });
        page.WaitForState(() => CreatedLineSeries() is not null);
        Assert.Single(CreatedLineSeries()![0]!["data"]!.AsArray());
    }

    [Fact]
    public async Task With_recent_data_the_range_ends_now_and_no_notice_is_shown()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5));

        var page = RenderDashboard(range: "24h");

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".range-summary")));
        Assert.Empty(page.FindAll("[data-range-anchored]"));
    }

    [Fact]
    public async Task An_anchored_range_moves_to_the_present_when_a_new_observation_arrives()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddDays(-3), 50));
        var page = RenderDashboard(range: "24h");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-range-anchored]")));

        await SubmitAsync(Reading("kirkuk", StationsOpen.Id, Now.AddMinutes(-1), 64));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-range-anchored]")));
    }

    [Fact]
    public void The_first_dashboard_opens_at_the_root_with_its_title_and_panels()
    {
        var page = Render<DashboardPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Northern fuel", page.Find("h1").TextContent);
            Assert.Equal(["tiles", "chart", "timeline"], page.FindAll("[data-panel-view]").Select(p => p.GetAttribute("data-panel-view")));
        });
    }

    [Fact]
    public void An_unknown_dashboard_says_so()
    {
        var page = Render<DashboardPage>(p => p.Add(c => c.Id, "nowhere"));

        Assert.Contains("There is no dashboard called “nowhere”", page.Markup);
    }

    private IRenderedComponent<DashboardPage> RenderDashboard(string? range = null)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"dashboards/{DashboardId}" + (range is null ? "" : $"?range={range}"));
        return Render<DashboardPage>(p => p.Add(c => c.Id, DashboardId));
    }

    private static IElement Tile(IRenderedComponent<DashboardPage> page, string site) =>
        page.Find($".reading-tile[data-site='{site}']");

    /// <summary>The series the dashboard's line chart was created with, once it has been.</summary>
    private JsonArray? CreatedLineSeries() =>
        ChartModule.Invocations["create"]
            .Select(i => JsonNode.Parse((string)i.Arguments[2]!)!)
            .FirstOrDefault(o => (string?)o["chart"]!["type"] == "line")?["series"]?.AsArray();

    private async Task<string> ProvisionAsync(string json)
    {
        var directory = Directory.CreateTempSubdirectory("monitor-dashboards-");
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "one.json"), json);
        Dashboards.Load(directory.FullName, Catalog.Current);
        directory.Delete(recursive: true);
        return Assert.Single(Dashboards.All).Id;
    }
}
