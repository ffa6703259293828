using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Web.Catalog;
using Monitor.Web.Components.Controls.Live;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Sites;

/// <summary>One site: its facts, the latest reading of every indicator that applies to it, and their history.</summary>
public sealed partial class SitePage : ComponentBase, IDisposable
{
    private Site? _site;
    private IReadOnlyList<IndicatorDefinition> _indicators = [];
    private List<BreadcrumbItem> _breadcrumbs = [];
    private TimeRangeSelection _selection = TimeRangeSelection.Default;
    private volatile ResolvedRange? _range;
    private volatile string? _siteId;
    private bool _storeUnavailable;
    private LiveObservations? _live;

    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private IObservationStore Store { get; set; } = default!;
    [Inject] private ObservationFeed Feed { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public string Id { get; set; } = "";

    [SupplyParameterFromQuery(Name = "range")] public string? RangeKey { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromKey { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToKey { get; set; }

    // While the range is anchored on old data, a newer reading of this site moves it forward.
    protected override void OnInitialized() =>
        _live = new LiveObservations(
            Feed,
            o => o.SiteId == _siteId && _range is { AnchoredOnLatest: true } range && o.Timestamp > range.To,
            _ => InvokeAsync(async () =>
            {
                await ResolveRangeAsync();
                StateHasChanged();
            }));

    protected override async Task OnParametersSetAsync()
    {
        var catalog = Catalog.Current;
        _site = catalog.FindSite(Id);
        _siteId = _site?.Id;
        _indicators = _site is null ? [] : [.. catalog.IndicatorsFor(_site).OrderBy(i => i.Kind).ThenBy(i => i.Name, StringComparer.CurrentCulture)];
        _selection = TimeRangeSelection.Parse(RangeKey, FromKey, ToKey);
        if (_site is null) return;

        _breadcrumbs = [new BreadcrumbItem(L["Nav.Sites"], "sites"), new BreadcrumbItem(_site.Name, href: null, disabled: true)];
        await ResolveRangeAsync();
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

    private void OnSelectionChanged(TimeRangeSelection selection) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["range"] = selection.Key,
            ["from"] = selection.FromKey,
            ["to"] = selection.ToKey,
        }));

    public void Dispose() => _live?.Dispose();
}
