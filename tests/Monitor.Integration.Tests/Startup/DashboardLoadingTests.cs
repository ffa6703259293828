using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Domain.Dashboards;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Dashboards;

namespace Monitor.Integration.Tests.Startup;

/// <summary>The app with two good dashboard files and several broken ones beside them.</summary>
public sealed class DashboardScenarioFactory : MonitorAppFactory
{
    public DashboardScenarioFactory()
    {
        Write("10-fuel.json", """
            {
              "id": "fuel",
              "title": "Fuel in the north",
              "order": 1,
              "panels": [
                { "title": "Stations open", "indicator": "fuel.stations_open_pct", "view": "chart", "sites": ["mosul", "tal-afar"], "width": 12 }
              ]
            }
            """);
        Write("20-crossings.json", """
            {
              // Comments and trailing commas are tolerated in hand-written files.
              "id": "crossings",
              "title": "Border crossings",
              "order": 2,
              "panels": [
                { "title": "Al Qaim", "indicator": "crossing.status", "view": "timeline", "sites": ["al-qaim-crossing"], },
              ],
            }
            """);
        Write("bad-json.json", """{ "id": "broken", "title": "Broken", "panels": [ { "title": """);
        Write("unknown-indicator.json", """
            { "id": "unicorns", "title": "Unicorns", "panels": [ { "title": "x", "indicator": "fuel.unicorns", "view": "chart", "sites": ["mosul"] } ] }
            """);
        Write("unknown-site.json", """
            { "id": "atlantis", "title": "Atlantis", "panels": [ { "title": "x", "indicator": "fuel.stations_open_pct", "view": "tiles", "sites": ["mosul", "atlantis"] } ] }
            """);
        Write("wrong-type.json", """
            { "id": "typed", "title": "Typed", "panels": [ { "title": "x", "indicator": "fuel.stations_open_pct", "view": "chart", "sites": ["mosul"], "width": "wide" } ] }
            """);
        Write("wrong-view.json", """
            { "id": "viewed", "title": "Viewed", "panels": [ { "title": "x", "indicator": "refinery.status", "view": "chart", "sites": ["baiji-refinery"] } ] }
            """);
        Write("not-a-dashboard.txt", "ignored: not a .json file");
    }

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(DashboardsDirectory, name), content);
}

public sealed class DashboardLoadingTests(DashboardScenarioFactory app) : IClassFixture<DashboardScenarioFactory>
{
    private DashboardCatalog Dashboards => app.Services.GetRequiredService<DashboardCatalog>();

    private LogEntry SkipMessageFor(string file)
    {
        _ = Dashboards; // the app has started, so provisioning has run
        return Assert.Single(app.Logs.Entries, e => e.Category == typeof(DashboardCatalog).FullName && e.Message.Contains(file, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_dashboards_load_beside_broken_ones()
    {
        Assert.Equal(["fuel", "crossings"], Dashboards.All.Select(d => d.Id));
        var fuel = Dashboards.Find("fuel")!;
        Assert.Equal("Fuel in the north", fuel.Title);
        Assert.Equal(["mosul", "tal-afar"], Assert.Single(fuel.Panels).Sites);
        Assert.Equal(PanelView.Timeline, Assert.Single(Dashboards.Find("crossings")!.Panels).View);
    }

    [Theory]
    [InlineData("unknown-indicator.json", "panels[0].indicator", "fuel.unicorns")]
    [InlineData("unknown-site.json", "panels[0].sites[1]", "atlantis")]
    [InlineData("wrong-type.json", "panels[0].width", "")]
    [InlineData("wrong-view.json", "panels[0].view", "refinery.status")]
    [InlineData("bad-json.json", "$.panels[0]", "")]
    public void Broken_dashboard_is_skipped_with_an_error_naming_the_file_and_the_field(string file, string field, string value)
    {
        var entry = SkipMessageFor(file);

        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains(field, entry.Message, StringComparison.Ordinal);
        Assert.Contains(value, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_other_than_json_are_not_read()
    {
        _ = Dashboards;

        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("not-a-dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public void Provisioning_reports_how_many_dashboards_loaded()
    {
        _ = Dashboards;

        Assert.Contains(app.Logs.Entries, e => e.Category == typeof(DashboardCatalog).FullName
            && e.Level == LogLevel.Information && e.Message.StartsWith("Provisioned 2 dashboards", StringComparison.Ordinal));
    }
}
