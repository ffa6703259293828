using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Admin;

/// <summary>What an admin does on a page is audited with the address of their browser, as through the API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminAuditTests(BrowserFixture browser)
{
    [Fact]
    public async Task Disabling_a_user_on_the_users_page_records_the_browsers_address()
    {
        var target = await browser.Server.CreateUserAsync(Role.Viewer);
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Admin], returnUrl: "/admin/users");
        await page.WaitForSelectorAsync("[data-interactive='true']");

        await page.Locator($"button[data-action='disable'][data-user='{target.Email}']").ClickAsync();

        await Assertions.Expect(page.Locator($"button[data-action='enable'][data-user='{target.Email}']")).ToBeVisibleAsync();
        var audit = browser.Server.Services.GetRequiredService<AuditLog>();
        var entry = Assert.Single((await audit.QueryAsync(new AuditQuery(Action: AuditActions.UserDisabled, Take: 1000))).Entries,
            e => e.Target == target.Email);
        Assert.Equal(browser.Server.DemoUsers[Role.Admin].Email, entry.Actor);
        Assert.Equal("127.0.0.1", entry.RemoteIp);
    }
}
