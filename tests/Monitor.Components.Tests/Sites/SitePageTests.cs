using Monitor.Components.Tests.Infrastructure;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Components.Pages.Sites;
using Monitor.Web.Observations;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Sites;

public sealed class SitePageTests : MonitorComponentTest
{
    private DateTimeOffset Now => Time.GetUtcNow();

    [Fact]
    public async Task Shows_the_facts_of_the_site_and_the_latest_reading_of_every_indicator_that_applies()
    {
        await SubmitAsync(
            Reading("mosul", StationsOpen.Id, Now.AddHours(-26), 30),
            Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5),
            Reading("kirkuk", StationsOpen.Id, Now.AddHours(-1), 80));

        var page = Render<SitePage>(p => p.Add(c => c.Id, "mosul"));

        Assert.Equal("Mosul", page.Find("h1").TextContent);
        Assert.Equal("City", page.Find("[data-fact=kind]").TextContent);
        Assert.Equal("Ninawa", page.Find("[data-fact=region]").TextContent);
        Assert.Equal("Iraq", page.Find("[data-fact=country]").TextContent);
        Assert.Contains("36.3350° N, 43.1189° E", page.Find("[data-fact=coordinates]").TextContent);
        page.WaitForAssertion(() =>
        {
            var stations = page.Find($".reading-tile[data-indicator='{StationsOpen.Id}']");
            Assert.Equal("22.5%", stations.QuerySelector(".reading-tile__number")!.TextContent);
            Assert.Equal("2 h ago", stations.QuerySelector(".reading-tile__age")!.TextContent);
            Assert.Equal("fresh", stations.QuerySelector("[data-freshness]")!.GetAttribute("data-freshness"));
            Assert.Equal("No readings yet", page.Find($".reading-tile[data-indicator='{FuelPrice.Id}'] .reading-tile__empty").TextContent);
        });
        // Only the indicators of a city: none of the refinery's or the border crossing's.
        Assert.Equal(
            [FuelPrice.Id, StationsOpen.Id],
            page.FindAll(".reading-tile").Select(t => t.GetAttribute("data-indicator")).Order());
    }

    [Fact]
    public void Draws_a_chart_for_numeric_indicators_and_a_timeline_for_state_indicators()
    {
        var page = Render<SitePage>(p => p.Add(c => c.Id, "baiji-refinery"));

        page.WaitForAssertion(() => Assert.Equal(
            ["timeline"],
            page.FindAll("[data-panel-view]").Select(p => p.GetAttribute("data-panel-view"))));
    }

    [Fact]
    public async Task A_published_observation_updates_the_latest_reading_without_reloading()
    {
        await SubmitAsync(Reading("baiji-refinery", RefineryStatus.Id, Now.AddHours(-4), "operating"));
        var page = Render<SitePage>(p => p.Add(c => c.Id, "baiji-refinery"));
        page.WaitForAssertion(() => Assert.Equal("Operating", page.Find(".state-chip").TextContent));

        Announce([new RecordedObservation("baiji-refinery", "Salah ad-Din", RefineryStatus.Id, Now.AddMinutes(-5), null, "offline", "test", null)]);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Offline", page.Find(".state-chip").TextContent);
            Assert.Equal("offline", page.Find(".state-chip").GetAttribute("data-state"));
        });
    }

    [Fact]
    public void An_unknown_site_gets_a_friendly_not_found_message()
    {
        var page = Render<SitePage>(p => p.Add(c => c.Id, "atlantis"));

        Assert.Equal("Site not found", page.Find("h1").TextContent);
        Assert.Contains("There is no site with the id “atlantis”.", page.Find("[data-site-not-found]").TextContent);
        Assert.Equal("sites", page.Find("a[href='sites']").GetAttribute("href"));
    }
}
