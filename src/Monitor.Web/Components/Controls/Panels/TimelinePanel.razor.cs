using System.Text.Json.Nodes;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Components.Controls.TimeRanges;
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

    /// <summary>The range the axis shows; a live range is stretched to the present as readings arrive.</summary>
    private ResolvedRange? _axis;

    protected override async Task LoadAsync()
    {
        var lookBack = Range.From - Indicator.Cadence * CadencesLookedBack;
        var queries = Sites.Select(site =>
            Store.QueryAsync(new SeriesQuery(site.Id, Indicator.Id, lookBack, Range.To, MaxPoints), IndicatorKind.State, CancellationToken.None));
        var results = await Task.WhenAll(queries);

        _points.Clear();
        for (var i = 0; i < Sites.Count; i++) _points[Sites[i].Id] = [.. results[i]];
        _axis = Range;
        _options = ChartOptions.Timeline(Indicator, Rows(), _axis, Texts());
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
        if (!changed || _chart is null || _axis is null) return;

        if (Range.FollowsNow)
        {
            // A live range runs to the present, and the last known state holds until now: stretch the axis with it.
            var now = Time.GetUtcNow();
            var newest = observations[^1].Timestamp;
            _axis = _axis with { To = newest > now ? newest : now };
            _options = ChartOptions.Timeline(Indicator, Rows(), _axis, Texts());
            StateHasChanged();
        }
        else
        {
            await _chart.UpdateSeriesAsync(ChartOptions.TimelineSeries(Indicator, Rows(), _axis, Texts()));
        }
    }

    private List<(Site Site, IReadOnlyList<StateSegment> Segments)> Rows() =>
        [.. Sites.Select(site => (site, StateTimeline.Segments(_points.GetValueOrDefault(site.Id) ?? [], Range.From, _axis!.To)))];

    private ChartTexts Texts() => new(L["Chart.NoData"], L["Time.Utc"], state => L.State(state));
}
