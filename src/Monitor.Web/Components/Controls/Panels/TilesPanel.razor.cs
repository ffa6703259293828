using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>The latest reading of one indicator at each site, whatever the range: a tile shows the present.</summary>
public sealed partial class TilesPanel : PanelBase
{
    private readonly Dictionary<string, Observation> _latest = new(StringComparer.Ordinal);
    private AgeClock? _clock;

    protected override void OnInitialized()
    {
        base.OnInitialized();
        _clock = new AgeClock(Time, () => InvokeAsync(StateHasChanged));
    }

    protected override async Task LoadAsync()
    {
        var results = await Task.WhenAll(Sites.Select(site => Store.LatestAsync(site.Id, CancellationToken.None)));
        _latest.Clear();
        foreach (var latest in results.SelectMany(r => r).Where(o => o.IndicatorId == Indicator.Id))
        {
            _latest[latest.SiteId] = latest;
        }
    }

    protected override Task ApplyAsync(IReadOnlyList<RecordedObservation> observations)
    {
        var changed = false;
        foreach (var o in observations)
        {
            if (_latest.TryGetValue(o.SiteId, out var shown) && shown.Timestamp > o.Timestamp) continue;
            _latest[o.SiteId] = o.ToObservation();
            changed = true;
        }
        if (changed) StateHasChanged();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing) => _clock?.Dispose();
}
