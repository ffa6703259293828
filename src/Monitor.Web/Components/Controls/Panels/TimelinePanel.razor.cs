using System.Text.Json.Nodes;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Observations;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>A state indicator as a timeline: one row per site, coloured by state.</summary>
public sealed partial class TimelinePanel : PanelBase
{
    private const int MaxPoints = 500;

    /// <summary>Readings this far before the range tell which state the range opens in.</summary>
    private const int CadencesLookedBack = 3;

    private readonly Dictionary<string, List<SeriesPoint>> _points = new(StringComparer.Ordinal);
    private ApexChart? _chart;
    private JsonObject? _options;

    protected override async Task LoadAsync()
    {
        var lookBack = Range.From - Indicator.Cadence * CadencesLookedBack;
        var queries = Sites.Select(site =>
            Store.QueryAsync(new SeriesQuery(site.Id, Indicator.Id, lookBack, Range.To, MaxPoints), IndicatorKind.State, CancellationToken.None));
        var results = await Task.WhenAll(queries);

        _points.Clear();
        for (var i = 0; i < Sites.Count; i++) _points[Sites[i].Id] = [.. results[i]];
        _options = ChartOptions.Timeline(Indicator, Rows(), Range, Texts());
    }

    protected override async Task ApplyAsync(IReadOnlyList<RecordedObservation> observations)
    {
        var changed = false;
        foreach (var o in observations)
        {
            if (o.State is null || !Range.Covers(o.Timestamp) || !_points.TryGetValue(o.SiteId, out var points)) continue;
            var at = points.FindLastIndex(p => p.Timestamp <= o.Timestamp);
            var point = new SeriesPoint(o.Timestamp, State: o.State, Source: o.Source, Note: o.Note);
            if (at >= 0 && points[at].Timestamp == o.Timestamp) points[at] = point;
            else points.Insert(at + 1, point);
            changed = true;
        }
        if (changed && _chart is not null) await _chart.UpdateSeriesAsync(ChartOptions.TimelineSeries(Indicator, Rows(), Range, Texts()));
    }

    private List<(Site Site, IReadOnlyList<StateSegment> Segments)> Rows()
    {
        // A live range runs to the present: the last known state holds until now.
        var end = Range.FollowsNow ? Time.GetUtcNow() : Range.To;
        return [.. Sites.Select(site => (site, StateTimeline.Segments(_points.GetValueOrDefault(site.Id) ?? [], Range.From, end)))];
    }

    private ChartTexts Texts() => new(L["Chart.NoData"], L["Time.Utc"], state => L.State(state));
}
