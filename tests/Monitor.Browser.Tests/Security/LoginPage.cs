using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;

namespace Monitor.Browser.Tests.Security;

/// <summary>The sign-in page as a user sees it.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "/account/login";

    public ILocator Form => page.Locator("[data-page='login'] form");

    public ILocator Error => page.Locator("[data-login='error']");

    public async Task SignInAsync(string email, string password)
    {
        await page.Locator("#login-email").FillAsync(email);
        await page.Locator("#login-password").FillAsync(password);
        await page.Locator("[data-action='sign-in']").ClickAsync();
    }

    /// <summary>Opens the login page, signs in and waits until the page behind it is interactive.</summary>
    public static async Task SignInAsync(IPage page, DemoUser user, string returnUrl = "/")
    {
        await page.GotoAsync($"{Path}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await new LoginPage(page).SignInAsync(user.Email, user.Password);
        await page.WaitForSelectorAsync("[data-interactive='true']");
    }
}
