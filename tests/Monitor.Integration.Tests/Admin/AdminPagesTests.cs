using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Admin;

public sealed class AdminPagesTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    public static TheoryData<string, string> Pages => new()
    {
        { "/admin/users", "admin-users" },
        { "/admin/api-keys", "admin-api-keys" },
        { "/admin/audit", "admin-audit" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Admin_page_renders_for_an_admin(string path, string marker)
    {
        using var client = app.CreateClient(AdminKey);

        using var response = await client.GetAsync(path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Contains($"data-page=\"{marker}\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Admin_page_is_not_served_to_anonymous_visitors_or_other_roles(string path, string marker)
    {
        foreach (var key in new[] { null, ViewerKey, ReporterKey, CoordinatorKey })
        {
            // A refusal may be a redirect to a sign-in page; following it would only show that page.
            using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);

            using var response = await client.GetAsync(path);

            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain($"data-page=\"{marker}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
