using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;
using Xunit.Abstractions;

namespace Monitor.Browser.Tests.Accessibility;

/// <summary>axe-core finds nothing on any page, for any role (WCAG 2.1 A/AA and the landmark rules).</summary>
[Collection(BrowserCollection.Name)]
public sealed class AxeTests(BrowserFixture browser, ITestOutputHelper output)
{
    public static TheoryData<Role> Roles => new(Enum.GetValues<Role>());

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_page_a_role_can_open_has_no_axe_violations(Role role)
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[role]);
        var paths = await AppPages.ForSignedInUserAsync(page);
        Assert.Contains("/sites", paths);

        var failures = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            await AppPages.WaitUntilSettledAsync(page);
            var violations = await Axe.RunAsync(page);
            output.WriteLine($"{role} {path}: {violations.Sum(v => v.Targets.Length)} failing elements");
            failures.AddRange(violations.Select(v => $"{path}: {v}"));
        }

        Assert.True(failures.Count == 0, $"axe-core found {failures.Count} violations as {role}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Sign_in_page_has_no_axe_violations()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(LoginPage.Path);
        await Assertions.Expect(new LoginPage(page).Form).ToBeVisibleAsync();

        var violations = await Axe.RunAsync(page);

        output.WriteLine($"anonymous {LoginPage.Path}: {violations.Sum(v => v.Targets.Length)} failing elements");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Axe_reports_a_page_without_a_main_landmark()
    {
        // The check itself can fail: take the landmark away and axe must say so.
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Viewer], "/sites");
        await AppPages.WaitUntilSettledAsync(page);
        await page.EvaluateAsync("() => { const main = document.querySelector('main'); const div = document.createElement('div'); div.append(...main.childNodes); main.replaceWith(div); }");

        var violations = await Axe.RunAsync(page);

        Assert.Contains(violations, v => v.Id == "landmark-one-main");
    }
}
