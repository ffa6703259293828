using System.Net;
using System.Text.RegularExpressions;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Startup;

public sealed partial class PageAssetTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    [Theory]
    [InlineData(MonitorAuthentication.LoginPath, null)]
    [InlineData("/sites", ViewerKey)]
    public async Task Every_page_links_a_favicon_that_is_served_to_anyone(string page, string? key)
    {
        using var client = app.CreateClient(key);
        var html = await client.GetStringAsync(page);

        var icon = IconLink().Match(html);

        Assert.True(icon.Success, $"{page} links no icon.");
        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync(icon.Groups["href"].Value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_sign_in_page_does_not_load_the_chart_script_and_dashboards_do()
    {
        using var anonymous = app.CreateClient();
        using var viewer = app.CreateClient(ViewerKey);

        var login = await anonymous.GetStringAsync(MonitorAuthentication.LoginPath);
        var site = await viewer.GetStringAsync($"/sites/{Mosul}");

        // The import map names every module; what loads the library is a script element.
        Assert.False(ChartScript().IsMatch(login), "The sign-in page loads the chart script.");
        Assert.Matches(ChartScript(), site);
    }

    [GeneratedRegex("<script src=\"[^\"]*apexcharts[^\"]*\"")]
    private static partial Regex ChartScript();

    [GeneratedRegex("<link rel=\"icon\"[^>]*href=\"(?<href>[^\"]+)\"")]
    private static partial Regex IconLink();
}
