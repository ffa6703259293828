using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Report;

[Collection(BrowserCollection.Name)]
public sealed class DailyReportTests(BrowserFixture browser, ReportServer report) : IClassFixture<ReportServer>
{
    private MonitorServer Server => report.Server;

    private Task<IBrowserContext> NewContextAsync() =>
        browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });

    private async Task<IPage> SignedInPageAsync(Role role, string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        await LoginPage.SignInAsync(page, Server.DemoUsers[role], path);
        return page;
    }

    private async Task<JsonElement> LatestAsync(string site, string indicator)
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", MonitorServer.ReporterKey);
        var latest = await http.GetFromJsonAsync<JsonElement>($"/api/sites/{site}/latest");
        return latest.EnumerateArray().Single(o => o.GetProperty("indicatorId").GetString() == indicator);
    }

    private static Task<string?> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-input') ?? document.activeElement?.getAttribute('data-field') ?? document.activeElement?.getAttribute('data-action')");

    [Fact]
    public async Task A_daily_report_shows_on_an_open_dashboard_without_reload()
    {
        var dashboard = await SignedInPageAsync(Role.Viewer, "/dashboards/northern-iraq-fuel");
        await dashboard.WaitForSelectorAsync("[data-page='dashboard'][data-ready='true']");
        var tile = dashboard.Locator(".reading-tile[data-site='dohuk'][data-indicator='fuel.stations_open_pct'] .reading-tile__number").First;
        await Assertions.Expect(tile).ToHaveTextAsync("44.5%");
        var navigations = 0;
        dashboard.FrameNavigated += (_, frame) => { if (frame == dashboard.MainFrame) navigations++; };

        var reporter = await SignedInPageAsync(Role.Reporter, "/report/daily?site=dohuk");
        await reporter.WaitForSelectorAsync("[data-page='daily-report'][data-ready='true']");
        await Assertions.Expect(reporter.Locator("input[data-input='fuel.stations_open_pct']")).ToHaveValueAsync("44.5");
        await reporter.Locator("input[data-input='fuel.stations_open_pct']").FillAsync("12");
        await reporter.Locator("[data-form='daily'] button[type='submit']").ClickAsync();
        await Assertions.Expect(reporter.Locator("[data-result='accepted']")).ToBeVisibleAsync();

        // Pushed through the circuit from the pipeline's feed: no reload, no polling.
        await Assertions.Expect(tile).ToHaveTextAsync("12%", new() { Timeout = 2_000 });
        Assert.Equal(0, navigations);
        Assert.Equal(12, (await LatestAsync("dohuk", "fuel.stations_open_pct")).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_daily_report_can_be_entered_and_submitted_with_the_keyboard_alone()
    {
        var page = await SignedInPageAsync(Role.Reporter, "/report/daily?site=samarra");
        await page.WaitForSelectorAsync("[data-page='daily-report'][data-ready='true']");

        // The grid's first field, then Tab through the rows in the order they are shown, typing over each value.
        await page.Locator("input[data-input='fuel.price_per_litre']").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("1500");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("fuel.queue_hours", await FocusedAsync(page));
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("6");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("fuel.stations_open_pct", await FocusedAsync(page));
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("40");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("[data-result='accepted']")).ToBeVisibleAsync();
        Assert.Equal(1500, (await LatestAsync("samarra", "fuel.price_per_litre")).GetProperty("value").GetDouble());
        Assert.Equal(6, (await LatestAsync("samarra", "fuel.queue_hours")).GetProperty("value").GetDouble());
        Assert.Equal(40, (await LatestAsync("samarra", "fuel.stations_open_pct")).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task What_was_typed_and_not_sent_comes_back_on_the_next_circuit_and_is_what_gets_sent()
    {
        var page = await SignedInPageAsync(Role.Reporter, "/report/daily?site=tikrit");
        await page.WaitForSelectorAsync("[data-page='daily-report'][data-ready='true']");
        var stations = page.Locator("input[data-input='fuel.stations_open_pct']");
        await stations.FillAsync("7");
        await page.Locator("input[data-field='source']").FillAsync("seen from the road");

        // The circuit is lost (a reload starts a new one); nothing was sent.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-page='daily-report'][data-ready='true']");
        await Assertions.Expect(stations).ToHaveValueAsync("7");
        await Assertions.Expect(page.Locator("input[data-field='source']")).ToHaveValueAsync("seen from the road");
        await page.Locator("[data-form='daily'] button[type='submit']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-result='accepted']")).ToBeVisibleAsync();
        var latest = await LatestAsync("tikrit", "fuel.stations_open_pct");
        Assert.Equal(7, latest.GetProperty("value").GetDouble());
        Assert.Equal("seen from the road", latest.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_submission_a_lost_circuit_left_in_the_browser_is_sent_once_by_the_next_one()
    {
        var user = Server.DemoUsers[Role.Reporter];
        var page = await SignedInPageAsync(Role.Reporter, "/report");
        var journal = Server.Services.GetRequiredService<IngestJournal>();
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        var key = Guid.NewGuid().ToString("N");
        var pending = JsonSerializer.Serialize(new
        {
            key,
            createdAt = at,
            observations = new[] { new { siteId = "erbil", indicatorId = "fuel.stations_open_pct", value = 33.0, timestamp = at, source = "queued on a phone" } },
            confirmed = Array.Empty<string>(),
        });
        var stored = JsonSerializer.Serialize(new[] { new { key, json = pending } });
        var storage = "monitor.pending." + user.Email;

        // As a circuit lost between the click and the server's answer leaves it; the next page's circuit sends it.
        var before = journal.LastSequence;
        await page.EvaluateAsync("([name, value]) => localStorage.setItem(name, value)", new[] { storage, stored });
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await Assertions.Expect(page.GetByText("Sent 1 queued reading(s).")).ToBeVisibleAsync();
        Assert.Equal(33, (await LatestAsync("erbil", "fuel.stations_open_pct")).GetProperty("value").GetDouble());
        Assert.Equal(before + 1, journal.LastSequence);
        Assert.Null(await page.EvaluateAsync<string?>("name => localStorage.getItem(name)", storage));

        // The same submission again (say the answer was lost too): its key makes it a no-op.
        await page.EvaluateAsync("([name, value]) => localStorage.setItem(name, value)", new[] { storage, stored });
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await Assertions.Expect(page.GetByText("Sent 1 queued reading(s).")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("name => localStorage.getItem(name) === null", storage);
        Assert.Equal(before + 1, journal.LastSequence);
    }

    [Fact]
    public async Task A_submit_pressed_while_the_connection_is_down_is_held_and_sent_once_when_it_is_back()
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        var link = await CircuitLink.RouteAsync(page);
        // A site of its own: readings of the other tests in this minute would be conflicts or warnings here.
        await LoginPage.SignInAsync(page, Server.DemoUsers[Role.Reporter], "/report/daily?site=baqubah");
        await page.WaitForSelectorAsync("[data-page='daily-report'][data-ready='true']");
        var journal = Server.Services.GetRequiredService<IngestJournal>();
        var before = journal.LastSequence;

        await link.DropAsync();
        await Assertions.Expect(page.Locator("[data-connection-notice]")).ToBeVisibleAsync();
        await page.Locator("input[data-input='fuel.queue_hours']").FillAsync("20");
        await page.Locator("input[data-field='source']").FillAsync("typed while cut off");
        await page.Locator("[data-form='daily'] button[type='submit']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-held-submit]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-held-submit]")).ToContainTextAsync("Queued: not connected");
        Assert.Equal(before, journal.LastSequence);

        link.Restore();
        await Assertions.Expect(page.Locator("[data-result='accepted']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-held-submit]")).ToBeHiddenAsync();
        var latest = await LatestAsync("baqubah", "fuel.queue_hours");
        Assert.Equal(20, latest.GetProperty("value").GetDouble());
        Assert.Equal("typed while cut off", latest.GetProperty("source").GetString());
        Assert.Equal(before + 1, journal.LastSequence);
    }

    [Fact]
    public async Task A_submit_held_by_a_page_that_never_reconnected_is_made_by_the_next_page()
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var link = await CircuitLink.RouteAsync(page);
        await LoginPage.SignInAsync(page, Server.DemoUsers[Role.Reporter], "/report?site=kirkuk-refinery&indicator=refinery.throughput_pct");
        await page.WaitForSelectorAsync("[data-form='observation'][data-ready='true'] input[data-field='value']");
        var journal = Server.Services.GetRequiredService<IngestJournal>();
        var before = journal.LastSequence;

        await link.DropAsync();
        await Assertions.Expect(page.Locator("[data-connection-notice]")).ToBeVisibleAsync();
        await page.Locator("input[data-field='value']").FillAsync("18");
        await page.Locator("input[data-field='value']").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-held-submit]")).ToBeVisibleAsync();

        // The phone gives up on the page; later the reporter opens the form again.
        await page.CloseAsync();
        Assert.Equal(before, journal.LastSequence);
        var next = await context.NewPageAsync();
        await next.GotoAsync("/report?site=kirkuk-refinery&indicator=refinery.throughput_pct");

        await Assertions.Expect(next.Locator("[data-result='accepted']")).ToBeVisibleAsync();
        Assert.Equal(18, (await LatestAsync("kirkuk-refinery", "refinery.throughput_pct")).GetProperty("value").GetDouble());
        Assert.Equal(before + 1, journal.LastSequence);

        // Held submits are made once: a third page opens the form clean.
        var third = await context.NewPageAsync();
        await third.GotoAsync("/report?site=kirkuk-refinery&indicator=refinery.throughput_pct");
        await third.WaitForSelectorAsync("[data-form='observation'][data-ready='true'] input[data-field='value']");
        await Assertions.Expect(third.Locator("input[data-field='value']")).ToHaveValueAsync("");
        Assert.Equal(before + 1, journal.LastSequence);
    }
}
