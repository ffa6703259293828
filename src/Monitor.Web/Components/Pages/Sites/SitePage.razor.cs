using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Web.Catalog;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Sites;

/// <summary>One site: its facts, the latest reading of every indicator that applies to it, and their history.</summary>
public sealed partial class SitePage : RangedPage
{
    private Site? _site;
    private IReadOnlyList<IndicatorDefinition> _indicators = [];
    private volatile string? _siteId;

    [Inject] private CatalogService Catalog { get; set; } = default!;

    [Parameter] public string Id { get; set; } = "";

    protected override void OnInitialized() => FollowNewerReadings(o => o.SiteId == _siteId);

    protected override async Task OnParametersSetAsync()
    {
        var catalog = Catalog.Current;
        _site = catalog.FindSite(Id);
        _siteId = _site?.Id;
        _indicators = _site is null ? [] : [.. catalog.IndicatorsFor(_site).OrderBy(i => i.Kind).ThenBy(i => i.Name, StringComparer.CurrentCulture)];
        ParseSelection();
        if (_site is null) return;

        await ResolveRangeAsync();
    }
}
