using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>
/// The latest reading of one indicator at each site, whatever the range: a tile shows the present, coloured by its
/// worst active alert, and (numeric indicators) how far it moved since the range began.
/// </summary>
public sealed partial class TilesPanel : PanelBase
{
    private readonly Dictionary<string, Observation> _latest = new(StringComparer.Ordinal);

    /// <summary>The reading of each site that stood when the range began: where the change is measured from.</summary>
    private readonly Dictionary<string, SeriesPoint> _first = new(StringComparer.Ordinal);

    private AgeClock? _clock;
    private AlertWatch? _alerts;

    [Inject] private ActiveAlerts ActiveAlerts { get; set; } = default!;

    protected override void OnInitialized()
    {
        base.OnInitialized();
        _clock = new AgeClock(Time, () => InvokeAsync(StateHasChanged));
        _alerts = new AlertWatch(ActiveAlerts, () => InvokeAsync(StateHasChanged));
    }

    protected override async Task LoadAsync()
    {
        var latest = Task.WhenAll(Sites.Select(site => Store.LatestAsync(site.Id, CancellationToken.None)));
        var first = Indicator.Kind == IndicatorKind.Numeric
            ? Task.WhenAll(Sites.Select(site => Store.QueryAsync(ReadingChange.BaselineQuery(site.Id, Indicator, Range), IndicatorKind.Numeric, CancellationToken.None)))
            : Task.FromResult(Array.Empty<IReadOnlyList<SeriesPoint>>());
        var (results, series) = (await latest, await first);

        _latest.Clear();
        foreach (var reading in results.SelectMany(r => r).Where(o => o.IndicatorId == Indicator.Id))
        {
            _latest[reading.SiteId] = reading;
        }
        _first.Clear();
        for (var i = 0; i < series.Length; i++)
        {
            if (ReadingChange.Baseline(series[i], Range) is { } point) _first[Sites[i].Id] = point;
        }
    }

    protected override Task ApplyAsync(IReadOnlyList<RecordedObservation> observations)
    {
        var changed = false;
        foreach (var o in observations)
        {
            if (_latest.TryGetValue(o.SiteId, out var shown) && shown.Timestamp > o.Timestamp) continue;
            _latest[o.SiteId] = o.ToObservation();
            if (o.Value is { } value && Range.Covers(o.Timestamp) && !_first.ContainsKey(o.SiteId))
                _first[o.SiteId] = new SeriesPoint(o.Timestamp, value);
            changed = true;
        }
        if (changed) StateHasChanged();
        return Task.CompletedTask;
    }

    private ReadingChange? ChangeAt(string siteId) =>
        ReadingChange.Over(L, _first.GetValueOrDefault(siteId), _latest.GetValueOrDefault(siteId), Indicator.Unit, Range);

    protected override void Dispose(bool disposing)
    {
        _clock?.Dispose();
        _alerts?.Dispose();
    }
}
