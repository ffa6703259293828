using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Live;

/// <summary>
/// When the live connection drops, the last data stays readable under a "stale since …" notice, never a grey overlay,
/// and the notice goes when the connection is back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StaleNoticeTests(BrowserFixture browser)
{
    private const string Dashboard = "/dashboards/anbar-corridor";

    [Fact]
    public async Task Offline_browser_keeps_the_data_readable_under_a_stale_notice_until_it_is_back_online()
    {
        var page = await browser.NewPageAsync();
        await OpenDashboardAsync(page);
        var notice = page.Locator("[data-connection-notice]");
        await Assertions.Expect(notice).ToBeHiddenAsync();

        // Chromium's network emulation (CDP Network.emulateNetworkConditions, offline).
        await page.Context.SetOfflineAsync(true);

        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToContainTextAsync(StaleSince());
        await Assertions.Expect(notice).ToContainTextAsync("offline");
        await AssertDataReadableAsync(page);

        await page.Context.SetOfflineAsync(false);

        await Assertions.Expect(notice).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Dropped_connection_keeps_the_data_readable_and_the_page_reconnects_to_its_circuit()
    {
        var page = await browser.NewPageAsync();
        var link = await CircuitLink.RouteAsync(page);
        await OpenDashboardAsync(page);
        var notice = page.Locator("[data-connection-notice]");
        var circuitMarker = await page.EvaluateAsync<string>("() => (window.__page = crypto.randomUUID())");

        await link.DropAsync();

        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToContainTextAsync(StaleSince());
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToHaveAttributeAsync("data-state", new Regex("^(reconnecting|failed)$"));
        await AssertDataReadableAsync(page);

        link.Restore();

        await Assertions.Expect(notice).ToBeHiddenAsync(new() { Timeout = 30_000 });
        // The same page, not reloaded, and live again: a range choice is handled by the circuit.
        Assert.Equal(circuitMarker, await page.EvaluateAsync<string>("() => window.__page"));
        await page.GetByRole(AriaRole.Radio, new() { Name = "30 days" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("range=30d"));
    }

    private async Task OpenDashboardAsync(IPage page)
    {
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer], Dashboard);
        await AppPages.WaitUntilSettledAsync(page);
    }

    /// <summary>The tiles are on screen, not covered by anything (no overlay), and the page is not greyed out.</summary>
    private static async Task AssertDataReadableAsync(IPage page)
    {
        var tile = page.Locator(".reading-tile").First;
        await Assertions.Expect(tile).ToBeVisibleAsync();
        var uncovered = await tile.EvaluateAsync<bool>("""
            tile => {
              const box = tile.getBoundingClientRect();
              const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
              return tile.contains(top);
            }
            """);
        Assert.True(uncovered, "Something covers the data.");
        Assert.Equal(0, await page.Locator("#components-reconnect-modal[open], .components-reconnect-show.modal, dialog[open]").CountAsync());
    }

    [GeneratedRegex(@"Stale since \d{2}:\d{2} UTC")]
    private static partial Regex StaleSince();
}
