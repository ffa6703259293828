using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Security;

/// <summary>Answers a cache must never keep: a new key's secret, a one-time password, the audit trail.</summary>
public sealed class SecretResponseTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    public static TheoryData<string, string, string?> SecretAnswers => new()
    {
        { "POST", "/api/keys", """{"name":"NAME","role":"Viewer"}""" },
        { "GET", "/api/audit", null },
        { "GET", "/api/audit?format=csv", null },
    };

    [Theory]
    [MemberData(nameof(SecretAnswers))]
    public async Task Answer_carrying_a_secret_or_the_audit_trail_is_not_stored_by_caches(string method, string path, string? body)
    {
        using var admin = app.CreateClient(AdminKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body.Replace("NAME", UniqueName("cache"), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await admin.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}");
        Assert.True(response.Headers.CacheControl?.NoStore, $"{method} {path} lacks Cache-Control: no-store");
    }
}
