using Monitor.Domain.Dashboards;
using static Monitor.Domain.Tests.TestCatalog;

namespace Monitor.Domain.Tests.Dashboards;

public sealed class DashboardValidatorTests
{
    private static DashboardDefinition Dashboard(params PanelDefinition[] panels) => new("fuel", "Fuel", null, 1, panels);

    private static PanelDefinition Panel(string indicator, PanelView view, params string[] sites) => new("Panel", indicator, view, sites);

    private static string? ProblemOf(DashboardDefinition dashboard) => DashboardValidator.Validate(dashboard, "from-file", Create()).Problem;

    [Fact]
    public void A_dashboard_naming_known_sites_and_indicators_is_valid()
    {
        var (valid, problem) = DashboardValidator.Validate(
            Dashboard(Panel(FuelStationsOpen, PanelView.Chart, Mosul, Kirkuk), Panel(CrossingStatus, PanelView.Timeline, AlQaim)), "from-file", Create());

        Assert.Null(problem);
        Assert.Equal("fuel", valid!.Id);
    }

    [Fact]
    public void A_dashboard_without_an_id_takes_its_file_name()
    {
        var (valid, _) = DashboardValidator.Validate(
            Dashboard(Panel(FuelStationsOpen, PanelView.Tiles, Mosul)) with { Id = "" }, "from-file", Create());

        Assert.Equal("from-file", valid!.Id);
    }

    [Fact]
    public void An_id_outside_lowercase_letters_digits_and_dashes_is_refused()
    {
        Assert.StartsWith("id:", ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Tiles, Mosul)) with { Id = "Fuel North" }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dashboard_needs_a_title_and_a_panel()
    {
        Assert.StartsWith("title:", ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Tiles, Mosul)) with { Title = " " }), StringComparison.Ordinal);
        Assert.StartsWith("panels:", ProblemOf(Dashboard()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_problem_names_the_panel_field_and_the_value_at_fault()
    {
        Assert.Equal("panels[1].indicator: unknown indicator 'fuel.unicorns'",
            ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Chart, Mosul), Panel("fuel.unicorns", PanelView.Chart, Mosul))));
        Assert.Equal("panels[0].sites[1]: unknown site 'atlantis'",
            ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Tiles, Mosul, "atlantis"))));
        Assert.StartsWith("panels[0].sites[0]: 'fuel.stations_open_pct' does not apply to refinery site",
            ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Tiles, Baiji))), StringComparison.Ordinal);
        Assert.StartsWith("panels[0].sites:", ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Tiles))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_view_must_suit_the_indicator_kind()
    {
        Assert.StartsWith("panels[0].view: a chart needs a numeric indicator",
            ProblemOf(Dashboard(Panel(RefineryStatus, PanelView.Chart, Baiji))), StringComparison.Ordinal);
        Assert.StartsWith("panels[0].view: a timeline needs a state indicator",
            ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Timeline, Mosul))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void A_panel_spans_1_to_12_grid_columns(int width)
    {
        Assert.StartsWith("panels[0].width:",
            ProblemOf(Dashboard(Panel(FuelStationsOpen, PanelView.Tiles, Mosul) with { Width = width })), StringComparison.Ordinal);
    }
}
