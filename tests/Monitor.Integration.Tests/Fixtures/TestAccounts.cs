using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Fixtures;

public sealed record TestUser(string Email, string Password, Role Role);

/// <summary>User accounts in the real Identity store, and signing in the way a browser does: through the login form.</summary>
public static partial class TestAccounts
{
    public const string Password = "a long test passphrase";

    private static int _users;

    public static async Task<TestUser> CreateUserAsync(this WebApplicationFactory<Program> app, Role role, string? email = null, string password = Password)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Interlocked.Increment(ref _users)}@example.org";
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateUserAsync(email, password, role, "test");
        Assert.True(result.Succeeded, UserAdministration.Describe(result));
        return new TestUser(email, password, role);
    }

    public static async Task<MonitorUser> FindUserAsync(this WebApplicationFactory<Program> app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>().FindByEmailAsync(email))!;
    }

    public static async Task UpdateUserAsync(this WebApplicationFactory<Program> app, string email, Action<MonitorUser> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        change(user);
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them, as the tests need to see them.</summary>
    public static HttpClient CreateBrowserClient(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Opens the login page (for its antiforgery token and cookie) and posts the form.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        var path = MonitorAuthentication.LoginPath + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var token = await AntiforgeryTokenAsync(client, path);
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    public static async Task<HttpClient> SignedInClientAsync(this WebApplicationFactory<Program> app, TestUser user)
    {
        var client = app.CreateBrowserClient();
        await client.SignInAsync(user);
        return client;
    }

    public static async Task SignInAsync(this HttpClient client, TestUser user)
    {
        using var response = await client.PostLoginAsync(user.Email, user.Password);
        Assert.True(response.StatusCode == HttpStatusCode.Found, $"Sign-in of {user.Email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}.");
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<IReadOnlyList<AuditEntry>> AuditAsync(this WebApplicationFactory<Program> app, string action, string? actor = null) =>
        (await app.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: action, Actor: actor, Take: 1000))).Entries;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
