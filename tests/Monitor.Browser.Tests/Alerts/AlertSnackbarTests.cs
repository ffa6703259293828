using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Alerts;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Alerts;

[Collection(BrowserCollection.Name)]
public sealed class AlertSnackbarTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_alert_raised_by_an_API_post_pops_up_on_an_open_page_within_two_seconds()
    {
        var page = await browser.NewPageAsync();
        // A planner who never chose what to be told about: every critical alert.
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer], "/sites");
        var snackbar = page.Locator(".mud-snackbar [data-alert-snackbar]").Filter(new() { HasText = "Baghdad" });

        using var coordinator = Client(MonitorServer.CoordinatorKey);
        using var rule = await coordinator.PostAsJsonAsync("/api/rules", new
        {
            name = "Browser test: Baghdad fuel queue above 60 h",
            indicatorId = "fuel.queue_hours",
            siteId = "baghdad",
            @operator = "above",
            threshold = 60,
            severity = "critical",
        });
        Assert.Equal(201, (int)rule.StatusCode);
        // Baghdad's queues are short in the scenario: the rule alone raises nothing.
        Assert.Equal(0, await snackbar.CountAsync());

        // The two seconds are this reading's way through the pipeline to the page, not the engine reading its state back
        // after the server started or still evaluating what the tests before this one wrote (an import of 60,000 rows).
        await browser.Server.Services.GetRequiredService<AlertEngine>().Ready;
        var feed = browser.Server.Services.GetRequiredService<ObservationFeed>();
        var settled = Stopwatch.StartNew();
        while (!feed.IsIdle("alerts"))
        {
            Assert.True(settled.Elapsed < TimeSpan.FromMinutes(2), "The alert engine did not catch up with the feed.");
            await Task.Delay(20);
        }
        using var reporter = Client(MonitorServer.ReporterKey);
        var clock = Stopwatch.StartNew();
        using var posted = await reporter.PostAsJsonAsync("/api/observations", new[]
        {
            new { siteId = "baghdad", indicatorId = "fuel.queue_hours", value = 70.0, timestamp = "2014-06-28T20:00:00Z", source = "browser test" },
        });
        Assert.Equal(202, (int)posted.StatusCode);

        await Assertions.Expect(snackbar).ToBeVisibleAsync(new() { Timeout = 2_000 - (float)clock.Elapsed.TotalMilliseconds });
        await Assertions.Expect(snackbar).ToContainTextAsync("Fuel queue at Baghdad");
    }

    private HttpClient Client(string key)
    {
        var http = new HttpClient { BaseAddress = browser.Server.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }
}
