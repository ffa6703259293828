using System.Net;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Security;

/// <summary>Behind a reverse proxy on loopback (always a trusted proxy), over a real socket.</summary>
public sealed class ForwardedHeadersTests
{
    private const string ClientAddress = "203.0.113.7";

    private static async Task<(HttpResponseMessage Response, AuditEntry Audit)> SignInThroughProxyAsync(KestrelMonitorAppFactory app)
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.ServerAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ClientAddress);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await client.PostLoginAsync(user.Email, user.Password);

        return (response, Assert.Single(await app.AuditAsync(AuditActions.LoginSucceeded, actor: user.Email)));
    }

    [Fact]
    public async Task Enabled_forwarded_headers_give_the_client_address_and_a_secure_cookie()
    {
        await using var app = new KestrelMonitorAppFactory();
        app.Settings["ForwardedHeaders:Enabled"] = "true";

        var (response, audit) = await SignInThroughProxyAsync(app);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(ClientAddress, audit.RemoteIp);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Monitor.Session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_the_setting_forwarded_headers_are_ignored()
    {
        await using var app = new KestrelMonitorAppFactory();

        var (response, audit) = await SignInThroughProxyAsync(app);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("127.0.0.1", audit.RemoteIp);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Monitor.Session=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.local")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    public async Task Unusable_proxy_setting_fails_start_naming_it(string key, string value)
    {
        await using var app = new MonitorAppFactory();
        app.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException) messages.Add(e.Message);
        Assert.Contains(messages, m => m.Contains(key, StringComparison.Ordinal));
    }
}
