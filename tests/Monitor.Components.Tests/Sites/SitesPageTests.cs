using Monitor.Components.Tests.Infrastructure;
using Monitor.Web.Components.Pages.Sites;

namespace Monitor.Components.Tests.Sites;

public sealed class SitesPageTests : MonitorComponentTest
{
    [Fact]
    public void Lists_every_site_with_its_kind_region_and_coordinates()
    {
        var page = Render<SitesPage>();

        var links = page.FindAll("a[data-site-link]");
        Assert.Equal(TestScenario.Sites.Count, links.Count);
        var crossing = page.Find("a[data-site-link='al-qaim-crossing']").Closest("tr")!;
        Assert.Contains("Border crossing", crossing.TextContent);
        Assert.Contains("Anbar", crossing.TextContent);
        Assert.Contains("34.4217° N, 40.9653° E", crossing.TextContent);
        Assert.Equal("sites/al-qaim-crossing", page.Find("a[data-site-link='al-qaim-crossing']").GetAttribute("href"));
    }

    [Fact]
    public void Typing_in_the_search_field_narrows_the_list()
    {
        var page = Render<SitesPage>();

        page.Find("input[data-filter=search]").Input("refin");
        // The field waits for typing to pause, on the app's clock.
        Time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(
            ["baiji-refinery"],
            page.FindAll("a[data-site-link]").Select(a => a.GetAttribute("data-site-link"))));
    }
}
