using System.Net.Http.Json;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Dashboards;

[Collection(BrowserCollection.Name)]
public sealed class LiveUpdateTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_observation_posted_to_the_API_appears_on_the_open_dashboard_without_reload()
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer], "/dashboards/anbar-corridor");
        await page.WaitForSelectorAsync("[data-page='dashboard'][data-ready='true']");
        var chip = page.Locator(".reading-tile[data-site='haditha'][data-indicator='site.access'] .state-chip").First;
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "restricted");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        using var http = new HttpClient { BaseAddress = browser.Server.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", MonitorServer.ReporterKey);
        using var response = await http.PostAsJsonAsync("/api/observations", new[]
        {
            // Inside the scenario's last day, so other tests' dashboards keep their range.
            new { siteId = "haditha", indicatorId = "site.access", state = "closed", timestamp = "2014-06-28T19:00:00Z", source = "browser test" },
        });
        Assert.Equal(202, (int)response.StatusCode);

        // SPEC: readable on every open dashboard within a second, pushed to the circuit, not polled.
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "closed", new() { Timeout = 1_000 });
        Assert.Equal(0, navigations);
    }
}
