using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Import;

[Collection(BrowserCollection.Name)]
public sealed class ImportPageTests(BrowserFixture browser)
{
    private const int Rows = 60_000;

    /// <summary>
    /// A file large enough to take a while (every minute of 2010 at Mosul, before the scenario, so no other test sees it;
    /// fuel queues, which no shipped rule watches, so it leaves no alerts behind for the tests after it),
    /// with a bad value on line 3 and a bad state on the row after a note spanning lines 5 and 6.
    /// </summary>
    private static byte[] File()
    {
        var csv = new StringBuilder("site,indicator,timestamp,value,state,source,note\n");
        var start = new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Rows; i++)
        {
            var at = start.AddMinutes(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            csv.Append(i switch
            {
                1 => $"mosul,fuel.queue_hours,{at},lots,,browser test,\n",
                3 => $"mosul,fuel.queue_hours,{at},50,,browser test,\"two\nlines\"\n",
                4 => $"mosul,fuel.queue_hours,{at},50,open,browser test,\n",
                _ => $"mosul,fuel.queue_hours,{at},{i % 70},,browser test,\n",
            });
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task A_reporter_sees_progress_then_each_problem_by_line_and_imports_the_valid_rows()
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Reporter], "/import");
        await page.WaitForSelectorAsync("[data-page='import'][data-ready='true']");

        await page.Locator("[data-input='file']").SetInputFilesAsync(new FilePayload { Name = "readings.csv", MimeType = "text/csv", Buffer = File() });

        await Assertions.Expect(page.Locator("[data-progress]")).ToBeVisibleAsync();
        var preview = page.Locator("[data-preview]");
        await Assertions.Expect(preview).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(preview.Locator("[data-valid]")).ToHaveAttributeAsync("data-valid", (Rows - 2).ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(preview.Locator("[data-rejected]")).ToHaveAttributeAsync("data-rejected", "2");
        await Assertions.Expect(preview.Locator("[data-line]")).ToHaveTextAsync(["3", "7"]);
        await Assertions.Expect(preview.Locator("[data-errors]")).ToContainTextAsync("'lots' is not a number");
        await Assertions.Expect(page.Locator("[data-action='import-all']")).ToBeDisabledAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-action='download-rejected']").ClickAsync());
        var rejected = await System.IO.File.ReadAllTextAsync(await download.PathAsync());
        Assert.StartsWith("line,column,error", rejected);
        Assert.Contains("3,value,\"'lots' is not a number", rejected);
        Assert.Contains("7,state,", rejected);

        await page.Locator("[data-action='import-valid']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-imported]")).ToHaveAttributeAsync("data-imported", (Rows - 2).ToString(CultureInfo.InvariantCulture),
            new() { Timeout = 180_000 });
    }

    [Fact]
    public async Task Viewers_have_no_import_link()
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer], "/sites");
        await Assertions.Expect(page.Locator("[data-nav='import']")).ToHaveCountAsync(0);

        var reporter = await browser.NewPageAsync();
        await LoginPage.SignInAsync(reporter, browser.Server.DemoUsers[Role.Reporter], "/sites");
        await Assertions.Expect(reporter.Locator("[data-nav='import']")).ToBeVisibleAsync();
    }
}
