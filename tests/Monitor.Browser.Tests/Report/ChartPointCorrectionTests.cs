using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Report;

/// <summary>A reading is corrected from its point on a chart: the point opens its history, which offers the correction.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChartPointCorrectionTests(BrowserFixture browser, ReportServer report) : IClassFixture<ReportServer>
{
    private const string Site = "baiji-refinery";
    private const string Indicator = "refinery.throughput_pct";

    private MonitorServer Server => report.Server;

    [Fact]
    public async Task A_reporter_clicks_a_point_sees_its_history_and_corrects_the_reading_from_there()
    {
        var newest = await NewestAsync();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Server.BaseUrl.ToString(), Locale = "en-GB", TimezoneId = "UTC" });
        await LoginPage.SignInAsync(page, Server.DemoUsers[Role.Reporter], $"/sites/{Site}");
        await AppPages.WaitUntilSettledAsync(page);
        var chart = page.Locator($".monitor-chart[data-indicator='{Indicator}']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-pickable", "true");

        // Every reading in the range is 0 %: the newest is drawn at the bottom right.
        await ClickPlotAsync(page, chart, height: 0);

        var history = page.Locator(".mud-dialog:has([data-dialog='history'])");
        await Assertions.Expect(history).ToBeVisibleAsync();
        await Assertions.Expect(history.Locator("[data-version]")).ToHaveCountAsync(1);
        await Assertions.Expect(history.Locator("[data-reading]")).ToHaveTextAsync(Format(newest.GetProperty("value").GetDouble()));
        await history.Locator("[data-action='correct']").ClickAsync();

        var correction = page.Locator(".mud-dialog:has([data-dialog='correction'])");
        await correction.Locator("input[data-field='value']").FillAsync("12");
        await correction.Locator("textarea[data-field='reason']").FillAsync("Misread the gauge");
        await correction.Locator("[data-action='submit-correction']").ClickAsync();

        await Assertions.Expect(page.GetByText("Correction recorded.")).ToBeVisibleAsync();
        await Assertions.Expect(history).ToBeHiddenAsync();
        var corrected = await NewestAsync();
        Assert.Equal(newest.GetProperty("timestamp").GetString(), corrected.GetProperty("timestamp").GetString());
        Assert.Equal(12, corrected.GetProperty("value").GetDouble());

        // The history of the same point now holds both versions, the correction with its reason.
        // The chart took the correction live: the newest reading is now the highest, near the top right (not at the very
        // top, where the labels of the rules' threshold lines sit).
        await ClickPlotAsync(page, chart, height: 0.7);
        await Assertions.Expect(history.Locator("[data-version]")).ToHaveCountAsync(2);
        await Assertions.Expect(history.Locator("[data-reason]")).ToContainTextAsync("Misread the gauge");
    }

    [Fact]
    public async Task A_viewer_sees_a_points_history_without_a_correction()
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Server.BaseUrl.ToString(), Locale = "en-GB", TimezoneId = "UTC" });
        // Another refinery: the test above adds a version to its own.
        await LoginPage.SignInAsync(page, Server.DemoUsers[Role.Viewer], "/sites/lanaz-refinery");
        await AppPages.WaitUntilSettledAsync(page);
        var chart = page.Locator($".monitor-chart[data-indicator='{Indicator}']");

        await ClickPlotAsync(page, chart, height: 0);

        var history = page.Locator(".mud-dialog:has([data-dialog='history'])");
        await Assertions.Expect(history.Locator("[data-version]")).ToHaveCountAsync(1);
        await Assertions.Expect(history.Locator("[data-action='close-history']")).ToBeVisibleAsync();
        Assert.Equal(0, await history.Locator("[data-action='correct']").CountAsync());
    }

    [Fact]
    public async Task The_tooltip_shows_the_newest_reading_when_the_pointer_is_right_of_it()
    {
        const string site = "kirkuk-refinery";
        var newest = await NewestAsync(site);
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Server.BaseUrl.ToString(), Locale = "en-GB", TimezoneId = "UTC" });
        await LoginPage.SignInAsync(page, Server.DemoUsers[Role.Viewer], $"/sites/{site}");
        await AppPages.WaitUntilSettledAsync(page);
        var chart = page.Locator($".monitor-chart[data-indicator='{Indicator}']");
        await chart.ScrollIntoViewIfNeededAsync();
        var plot = (await chart.Locator(".apexcharts-grid").BoundingBoxAsync())!;

        // The axis runs on to now, so the right end of the plot lies past the newest reading; ApexCharts' own shared
        // tooltip showed the first reading of the range there.
        await page.Mouse.MoveAsync(plot.X + plot.Width - 2, plot.Y + plot.Height / 2);

        var tooltip = chart.Locator(".apexcharts-tooltip.apexcharts-active");
        var time = await page.EvaluateAsync<string>(
            "at => new Intl.DateTimeFormat(document.documentElement.lang || undefined, { day: 'numeric', month: 'short', year: 'numeric', " +
            "hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(new Date(at))",
            newest.GetProperty("timestamp").GetString());
        await Assertions.Expect(tooltip).ToContainTextAsync(time);
        await Assertions.Expect(tooltip).ToContainTextAsync(Format(newest.GetProperty("value").GetDouble()));
    }

    /// <summary>A click at the right end of the plot, at a fraction of its height: it picks the point drawn nearest there.</summary>
    private static async Task ClickPlotAsync(IPage page, ILocator chart, double height)
    {
        await chart.ScrollIntoViewIfNeededAsync();
        var plot = (await chart.Locator(".apexcharts-grid").BoundingBoxAsync())!;
        var (x, y) = (plot.X + plot.Width - 2, plot.Y + 2 + (plot.Height - 4) * (float)(1 - height));
        await page.Mouse.MoveAsync(x, y);
        await Assertions.Expect(chart.Locator(".apexcharts-tooltip.apexcharts-active")).ToBeVisibleAsync();
        await page.Mouse.ClickAsync(x, y);
    }

    private static string Format(double value) => value.ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("en-GB")) + "%";

    private async Task<JsonElement> NewestAsync(string site = Site)
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", MonitorServer.ReporterKey);
        var latest = await http.GetFromJsonAsync<JsonElement>($"/api/sites/{site}/latest");
        return latest.EnumerateArray().Single(o => o.GetProperty("indicatorId").GetString() == Indicator);
    }
}
