using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed partial class RoleVisibilityTests(BrowserFixture browser)
{
    private static readonly string[] AdminLinks = ["admin-users", "admin-api-keys", "admin-audit"];

    [Fact]
    public async Task Anonymous_visit_to_the_home_page_lands_on_the_login_page()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/");

        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
        await Assertions.Expect(new LoginPage(page).Form).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-dashboard-link]").CountAsync());
    }

    [Fact]
    public async Task Wrong_password_keeps_the_visitor_on_the_login_page_with_a_message()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(LoginPage.Path);
        var login = new LoginPage(page);

        await login.SignInAsync(browser.Server.DemoUsers[Role.Reporter].Email, "certainly not the password");

        await Assertions.Expect(login.Error).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
    }

    public static TheoryData<Role> Roles => new(Enum.GetValues<Role>());

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_demo_role_signs_in_and_sees_only_what_it_may_use(Role role)
    {
        var user = browser.Server.DemoUsers[role];
        var page = await browser.NewPageAsync();

        await LoginPage.SignInAsync(page, user, returnUrl: "/sites");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sites$"));
        var account = page.Locator(".app-bar__account");
        await Assertions.Expect(account).ToHaveAttributeAsync("data-user", user.Email);
        await Assertions.Expect(account).ToHaveAttributeAsync("data-role", role.ToString());
        await Assertions.Expect(account.Locator(".app-bar__role")).ToHaveTextAsync(role.ToString());
        await Assertions.Expect(page.Locator("[data-dashboard-link]").First).ToBeVisibleAsync();
        foreach (var link in AdminLinks)
        {
            var locator = page.Locator($"[data-nav='{link}']");
            if (role == Role.Admin) await Assertions.Expect(locator).ToBeVisibleAsync();
            else await Assertions.Expect(locator).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task Sign_out_returns_to_the_login_page_and_closes_the_app()
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Coordinator]);

        await page.Locator("[data-action='sign-out']").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
        await page.GotoAsync("/sites");
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
    }

    [Fact]
    public async Task Sign_in_dashboard_and_site_pages_run_without_content_security_policy_violations_or_script_errors()
    {
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Add("console: " + message.Text);
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        await page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);

        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer]);
        // ApexCharts drew on the dashboard, MudBlazor's menus and the circuit's WebSocket all ran under the policy.
        await Assertions.Expect(page.Locator(".apexcharts-canvas .apexcharts-series path[d]").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await page.Locator("a[href='sites']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-page='sites']")).ToBeVisibleAsync();
        var violations = await page.EvaluateAsync<string[]>("window.__cspViolations");

        Assert.Empty(violations);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Open_page_of_a_user_who_is_disabled_goes_to_the_login_page_by_itself()
    {
        var user = await browser.Server.CreateUserAsync(Role.Reporter);
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, user, returnUrl: "/sites");

        await browser.Server.DisableUserAsync(user.Email);

        // No navigation by the test: the circuit's own re-check signs the page out.
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl(), new() { Timeout = 20_000 });
        await Assertions.Expect(new LoginPage(page).Form).ToBeVisibleAsync();
    }

    private Regex LoginUrl() => new("/account/login(\\?returnUrl=.*)?$");
}
