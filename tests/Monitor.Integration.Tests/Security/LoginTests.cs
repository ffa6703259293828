using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Security;

public sealed class LoginTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private const string FailureMessage = "Sign-in failed.";

    private static async Task AssertSignInRefusedAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(FailureMessage, html, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("Monitor.Session=", StringComparison.Ordinal));
    }

    /// <summary>Where a redirect goes, as a path on this site; fails if it leaves the site.</summary>
    private static string LocalTarget(HttpResponseMessage response)
    {
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        return target.PathAndQuery;
    }

    private async Task<HttpStatusCode> PageStatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/sites");
        return response.StatusCode;
    }

    [Fact]
    public async Task Right_password_signs_in_returns_to_the_requested_page_and_is_audited()
    {
        var user = await app.CreateUserAsync(Role.Reporter);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync(user.Email, user.Password, returnUrl: "/sites?kind=city");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/sites?kind=city", LocalTarget(response));
        Assert.Equal(HttpStatusCode.OK, await PageStatusAsync(browser));
        var entry = Assert.Single(await app.AuditAsync(AuditActions.LoginSucceeded, actor: user.Email));
        Assert.Equal(user.Email, entry.Target);
        Assert.NotNull((await app.FindUserAsync(user.Email)).LastLoginAt);
    }

    [Fact]
    public async Task Session_cookie_is_http_only_and_same_site_lax()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync(user.Email, user.Password);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Monitor.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_the_common_message_and_audited()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync(user.Email, "not the password at all");

        await AssertSignInRefusedAsync(response);
        Assert.Equal(HttpStatusCode.Found, await PageStatusAsync(browser));
        var entry = Assert.Single(await app.AuditAsync(AuditActions.LoginFailed), e => e.Target == user.Email);
        Assert.Equal("wrong password", entry.Details);
        Assert.Equal("anonymous", entry.Actor);
    }

    [Fact]
    public async Task Unknown_email_is_refused_with_the_same_message_and_audited()
    {
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync("nobody-here@example.org", "whatever password it is");

        await AssertSignInRefusedAsync(response);
        Assert.Single(await app.AuditAsync(AuditActions.LoginFailed), e => e.Target == "nobody-here@example.org" && e.Details == "no such account");
    }

    [Fact]
    public async Task Fifth_failure_locks_the_account_for_15_minutes_even_against_the_right_password()
    {
        var user = await app.CreateUserAsync(Role.Coordinator);
        using var browser = app.CreateBrowserClient();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await AssertSignInRefusedAsync(await browser.PostLoginAsync(user.Email, $"wrong password #{attempt}"));
        }
        Assert.Null((await app.FindUserAsync(user.Email)).LockoutEnd);
        await AssertSignInRefusedAsync(await browser.PostLoginAsync(user.Email, "wrong password #5"));
        using var right = await browser.PostLoginAsync(user.Email, user.Password);

        await AssertSignInRefusedAsync(right);
        var lockoutEnd = (await app.FindUserAsync(user.Email)).LockoutEnd;
        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Single(await app.AuditAsync(AuditActions.LoginLockedOut), e => e.Target == user.Email);
        Assert.Equal(4, (await app.AuditAsync(AuditActions.LoginFailed)).Count(e => e.Target == user.Email && e.Details == "wrong password"));
        Assert.Single(await app.AuditAsync(AuditActions.LoginFailed), e => e.Target == user.Email && e.Details == "account locked out");
    }

    [Fact]
    public async Task Disabled_user_cannot_sign_in()
    {
        var user = await app.CreateUserAsync(Role.Admin);
        await app.UpdateUserAsync(user.Email, u => u.Disabled = true);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync(user.Email, user.Password);

        await AssertSignInRefusedAsync(response);
        Assert.Single(await app.AuditAsync(AuditActions.LoginFailed), e => e.Target == user.Email && e.Details == "account disabled");
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_is_audited()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = await app.SignedInClientAsync(user);
        var token = await TestAccounts.AntiforgeryTokenAsync(browser, "/sites");

        using var response = await browser.PostAsync(MonitorAuthentication.LogoutPath,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(MonitorAuthentication.LoginPath, LocalTarget(response));
        Assert.Equal(HttpStatusCode.Found, await PageStatusAsync(browser));
        Assert.Single(await app.AuditAsync(AuditActions.Logout, actor: user.Email));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        var cookies = new CookieContainer();
        using var browser = app.CreateDefaultClient(new CookieContainerHandler(cookies));
        await browser.SignInAsync(user);
        using var copy = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookies.GetCookieHeader(browser.BaseAddress!));
        using (var before = await copy.GetAsync("/api/sites")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var token = await TestAccounts.AntiforgeryTokenAsync(browser, "/sites");

        using var signOut = await browser.PostAsync(MonitorAuthentication.LogoutPath,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);
        using var after = await copy.GetAsync("/api/sites");
        await Api.MonitorApi.AssertProblemAsync(after, HttpStatusCode.Unauthorized);
        using var page = await copy.GetAsync("/sites");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
    }

    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_refused_and_the_session_stays()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = await app.SignedInClientAsync(user);

        using var response = await browser.PostAsync(MonitorAuthentication.LogoutPath, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await PageStatusAsync(browser));
        Assert.Empty(await app.AuditAsync(AuditActions.Logout, actor: user.Email));
    }

    [Fact]
    public async Task Sign_in_form_without_an_antiforgery_token_is_refused()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostAsync(MonitorAuthentication.LoginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Found, await PageStatusAsync(browser));
        Assert.Empty(await app.AuditAsync(AuditActions.LoginSucceeded, actor: user.Email));
    }

    [Theory]
    [InlineData("https://elsewhere.example/phish")]
    [InlineData("//elsewhere.example/phish")]
    [InlineData("/\\elsewhere.example")]
    public async Task Return_url_off_this_site_is_replaced_by_the_home_page(string returnUrl)
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync(user.Email, user.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", LocalTarget(response));
    }

    [Theory]
    [InlineData("/\u3002evil", "/%E3%80%82evil")]
    [InlineData("/sites/موصل?range=7d", "/sites/%D9%85%D9%88%D8%B5%D9%84?range=7d")]
    [InlineData("/sites?q=a b", "/sites?q=a%20b")]
    public async Task Return_url_with_characters_a_header_cannot_carry_is_sent_escaped(string returnUrl, string expected)
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = app.CreateBrowserClient();

        using var response = await browser.PostLoginAsync(user.Email, user.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(expected, LocalTarget(response));
    }

    [Theory]
    [InlineData("eleven char", false)]
    [InlineData("twelve chars", true)]
    [InlineData("alllowercasewithoutdigits", true)]
    public async Task Passwords_need_12_characters_and_nothing_else(string password, bool accepted)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var result = await accounts.CreateUserAsync($"pw-{Guid.NewGuid():N}@example.org", password, Role.Viewer, "test");

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted) Assert.Contains(result.Errors, e => e.Code == nameof(IdentityErrorDescriber.PasswordTooShort));
    }

    [Fact]
    public async Task Each_user_holds_exactly_the_role_it_was_given()
    {
        var user = await app.CreateUserAsync(Role.Coordinator);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();

        var roles = await users.GetRolesAsync((await users.FindByEmailAsync(user.Email))!);

        Assert.Equal(["Coordinator"], roles);
    }
}

/// <summary>
/// Sessions checked once a minute, on a clock the test moves: a change to the user shows at the first request after
/// the interval, with no waiting in real time.
/// </summary>
public sealed class FakeClockSessionCheckFactory : MonitorAppFactory
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    public FakeClockSessionCheckFactory()
    {
        Settings["Auth:Sessions:CheckInterval"] = CheckInterval.ToString();
        TestServices = services =>
        {
            // Only the cookie and its session check read this clock; the rest of the app keeps real time.
            services.PostConfigure<SecurityStampValidatorOptions>(options => options.TimeProvider = Clock);
            services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, options => options.TimeProvider = Clock);
        };
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
}

public sealed class SessionTests(FakeClockSessionCheckFactory app) : IClassFixture<FakeClockSessionCheckFactory>
{
    [Fact]
    public async Task Disabling_a_user_ends_their_open_session()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = await app.SignedInClientAsync(user);
        using (var before = await browser.GetAsync("/sites")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await app.UpdateUserAsync(user.Email, u => u.Disabled = true);
        app.Clock.Advance(FakeClockSessionCheckFactory.CheckInterval + TimeSpan.FromSeconds(1));

        using var after = await browser.GetAsync("/sites");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.StartsWith(MonitorAuthentication.LoginPath, after.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_security_stamp_ends_open_sessions()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = await app.SignedInClientAsync(user);
        using (var before = await browser.GetAsync("/api/sites")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(user.Email))!);
        }
        app.Clock.Advance(FakeClockSessionCheckFactory.CheckInterval + TimeSpan.FromSeconds(1));

        using var after = await browser.GetAsync("/api/sites");
        await Api.MonitorApi.AssertProblemAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Within_the_check_interval_a_disabled_users_session_still_works()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = await app.SignedInClientAsync(user);

        await app.UpdateUserAsync(user.Email, u => u.Disabled = true);
        app.Clock.Advance(FakeClockSessionCheckFactory.CheckInterval / 2);

        // The check is what ends the session: before its interval is up, nothing has looked yet.
        using var after = await browser.GetAsync("/sites");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
