using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Domain.Dashboards;
using Monitor.Web.Catalog;
using Monitor.Web.Dashboards;

namespace Monitor.Web.Components.Pages.Dashboards;

/// <summary>
/// A provisioned dashboard over a time range. Panels load and follow their own data; the page resolves the range
/// and, while it is anchored on old data, moves it forward as soon as a newer reading of a shown series arrives.
/// </summary>
public sealed partial class DashboardPage : RangedPage
{
    private DashboardDefinition? _dashboard;
    private volatile IReadOnlySet<(string Site, string Indicator)> _shown = new HashSet<(string, string)>();
    private IReadOnlyList<ShownPanel> _panels = [];

    [Inject] private DashboardCatalog Dashboards { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;

    /// <summary>The dashboard's id; none means the first dashboard.</summary>
    [Parameter] public string? Id { get; set; }

    protected override void OnInitialized() => FollowNewerReadings(o => _shown.Contains((o.SiteId, o.IndicatorId)));

    protected override async Task OnParametersSetAsync()
    {
        _dashboard = Id is null ? Dashboards.All.FirstOrDefault() : Dashboards.Find(Id);
        ParseSelection();
        _panels = _dashboard is null ? [] : Resolve(_dashboard, Catalog.Current);
        _shown = _panels.SelectMany(p => p.Sites.Select(s => (s.Id, p.Indicator.Id))).ToHashSet();
        if (_dashboard is not null) await ResolveRangeAsync();
    }

    /// <summary>Panels whose indicator or sites left the catalog since the dashboard was provisioned are shown without them.</summary>
    private static IReadOnlyList<ShownPanel> Resolve(DashboardDefinition dashboard, CatalogSnapshot catalog) =>
        [.. dashboard.Panels
            .Select((panel, index) => (panel, index, indicator: catalog.FindIndicator(panel.Indicator)))
            .Where(p => p.indicator is not null)
            .Select(p => new ShownPanel(
                $"{dashboard.Id}/{p.index}",
                p.panel,
                p.indicator!,
                [.. p.panel.Sites.Select(catalog.FindSite).OfType<Site>()]))];

    private sealed record ShownPanel(string Key, PanelDefinition Definition, IndicatorDefinition Indicator, IReadOnlyList<Site> Sites);
}
