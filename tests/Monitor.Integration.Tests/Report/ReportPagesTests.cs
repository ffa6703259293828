using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Report;

public sealed class ReportPagesTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    public static TheoryData<string, string> Pages => new()
    {
        { "/report", "report" },
        { "/report/daily?site=mosul", "daily-report" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Report_page_renders_for_reporters_and_above(string path, string marker)
    {
        foreach (var key in new[] { ReporterKey, CoordinatorKey, AdminKey })
        {
            using var client = app.CreateClient(key);

            using var response = await client.GetAsync(path);

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
            Assert.Contains($"data-page=\"{marker}\"", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Report_page_is_not_served_to_anonymous_visitors_or_viewers(string path, string marker)
    {
        foreach (var key in new[] { null, ViewerKey })
        {
            using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);

            using var response = await client.GetAsync(path);

            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain($"data-page=\"{marker}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
