using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Dashboards;

[Collection(BrowserCollection.Name)]
public sealed class HomeDashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task Home_dashboard_draws_the_seed_scenario_as_charts()
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer]);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Northern Iraq fuel" })).ToBeVisibleAsync();

        // ApexCharts draws each series as an SVG path with a non-empty `d`: proof the seed data reached the chart.
        var lines = page.Locator(".apexcharts-canvas .apexcharts-series path[d]");
        await Assertions.Expect(lines.First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        var paths = await lines.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('d'))");
        Assert.Contains(paths, d => d.Length > 20 && d.Contains('L', StringComparison.Ordinal));

        if (Environment.GetEnvironmentVariable(UpdateScreenshotSwitch) == "1")
        {
            // Every chart on the page has drawn (animations are off), so the picture shows them all.
            await Assertions.Expect(page.Locator(".monitor-chart:not([data-chart-ready='true'])")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(), FullPage = false });
        }
    }

    /// <summary>Set to 1 to have this test write the README's screenshot; otherwise the working tree stays untouched.</summary>
    public const string UpdateScreenshotSwitch = "MONITOR_UPDATE_SCREENSHOT";

    private static string ScreenshotPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln"))) return Path.Combine(dir.FullName, "docs", "screenshot.png");
        }
        return Path.Combine(AppContext.BaseDirectory, "screenshot.png");
    }
}
