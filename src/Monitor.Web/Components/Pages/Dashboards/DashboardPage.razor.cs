using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Web.Catalog;
using Monitor.Web.Components.Controls.Live;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Dashboards;
using Monitor.Web.Observations;

namespace Monitor.Web.Components.Pages.Dashboards;

/// <summary>
/// A provisioned dashboard over a time range. Panels load and follow their own data; the page resolves the range
/// and, while it is anchored on old data, moves it forward as soon as a newer reading of a shown series arrives.
/// </summary>
public sealed partial class DashboardPage : ComponentBase, IDisposable
{
    private DashboardDefinition? _dashboard;
    private TimeRangeSelection _selection = TimeRangeSelection.Default;
    private volatile ResolvedRange? _range;
    private volatile IReadOnlySet<(string Site, string Indicator)> _shown = new HashSet<(string, string)>();
    private IReadOnlyList<ShownPanel> _panels = [];
    private bool _storeUnavailable;
    private LiveObservations? _live;

    [Inject] private DashboardCatalog Dashboards { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private IObservationStore Store { get; set; } = default!;
    [Inject] private ObservationFeed Feed { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The dashboard's id; none means the first dashboard.</summary>
    [Parameter] public string? Id { get; set; }

    [SupplyParameterFromQuery(Name = "range")] public string? RangeKey { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromKey { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToKey { get; set; }

    protected override void OnInitialized() =>
        _live = new LiveObservations(Feed, IsNewerThanAnchor, _ => InvokeAsync(async () =>
        {
            await ResolveRangeAsync();
            StateHasChanged();
        }));

    protected override async Task OnParametersSetAsync()
    {
        _dashboard = Id is null ? Dashboards.All.FirstOrDefault() : Dashboards.Find(Id);
        _selection = TimeRangeSelection.Parse(RangeKey, FromKey, ToKey);
        _panels = _dashboard is null ? [] : Resolve(_dashboard, Catalog.Current);
        _shown = _panels.SelectMany(p => p.Sites.Select(s => (s.Id, p.Indicator.Id))).ToHashSet();
        if (_dashboard is not null) await ResolveRangeAsync();
    }

    private async Task ResolveRangeAsync()
    {
        ObservationExtent? extent = null;
        try
        {
            extent = await Store.ExtentAsync(CancellationToken.None);
            _storeUnavailable = false;
        }
        catch (ObservationStoreUnavailableException)
        {
            _storeUnavailable = true;
        }
        _range = _selection.Resolve(extent, Time.GetUtcNow());
    }

    private bool IsNewerThanAnchor(RecordedObservation o) =>
        _range is { AnchoredOnLatest: true } range && o.Timestamp > range.To && _shown.Contains((o.SiteId, o.IndicatorId));

    private void OnSelectionChanged(TimeRangeSelection selection) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["range"] = selection.Key,
            ["from"] = selection.FromKey,
            ["to"] = selection.ToKey,
        }));

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

    public void Dispose() => _live?.Dispose();

    private sealed record ShownPanel(string Key, PanelDefinition Definition, IndicatorDefinition Indicator, IReadOnlyList<Site> Sites);
}
