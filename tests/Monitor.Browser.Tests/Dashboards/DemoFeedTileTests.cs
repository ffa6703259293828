using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Dashboards;

/// <summary>What a newcomer sees on a first <c>dotnet run</c>: the demo feed streams the scenario and alerts colour tiles live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoFeedTileTests(BrowserFixture browser)
{
    [Fact]
    public async Task On_a_fresh_start_the_demo_feed_turns_a_border_crossing_tile_to_the_alert_colour_without_reload()
    {
        await using var server = new MonitorServer(demoFeed: true);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, Locale = "en-GB", TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        await LoginPage.SignInAsync(page, server.DemoUsers[Role.Viewer], "/dashboards/refineries-and-borders");
        await page.WaitForSelectorAsync("[data-page='dashboard'][data-ready='true']");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        var rabia = page.Locator(".reading-tile[data-site='rabia-crossing'][data-indicator='border.status']").First;

        // Open at start; the stream closes Rabia about 65 s in, and the shipped "border crossing closed" rule (critical) fires.
        await Assertions.Expect(rabia).ToHaveAttributeAsync("data-alert", "neutral");
        await Assertions.Expect(rabia).ToHaveAttributeAsync("data-alert", "critical", new() { Timeout = 150_000 });
        Assert.Equal(0, navigations);
        await context.CloseAsync();
    }
}
