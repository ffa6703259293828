using System.Text.Json.Nodes;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>A numeric indicator as a line chart, one series per site, downsampled by the store.</summary>
public sealed partial class ChartPanel : PanelBase
{
    /// <summary>About one point per two pixels of a wide chart: more would not show, fewer would hide spikes.</summary>
    public const int MaxPoints = 500;

    private readonly Dictionary<string, List<SeriesPoint>> _points = new(StringComparer.Ordinal);
    private ApexChart? _chart;
    private JsonObject? _options;

    /// <summary>The range the axis shows: a live range's end moves forward with the readings that arrive.</summary>
    private ResolvedRange? _axis;

    protected override async Task LoadAsync()
    {
        var queries = Sites.Select(site =>
            Store.QueryAsync(new SeriesQuery(site.Id, Indicator.Id, Range.From, Range.To, MaxPoints), IndicatorKind.Numeric, CancellationToken.None));
        var results = await Task.WhenAll(queries);

        _points.Clear();
        for (var i = 0; i < Sites.Count; i++) _points[Sites[i].Id] = [.. results[i]];
        _axis = Range;
        _options = ChartOptions.Line(Indicator, Series(), _axis, Texts());
    }

    protected override async Task ApplyAsync(IReadOnlyList<RecordedObservation> observations)
    {
        var changed = false;
        foreach (var o in observations)
        {
            if (o.Value is not { } value || !Range.Covers(o.Timestamp) || !_points.TryGetValue(o.SiteId, out var points)) continue;
            var point = new SeriesPoint(o.Timestamp, value, Source: o.Source, Note: o.Note);
            var at = points.FindLastIndex(p => p.Timestamp <= o.Timestamp);
            if (at >= 0 && points[at].Timestamp == o.Timestamp) points[at] = point;
            else points.Insert(at + 1, point);
            changed = true;
        }
        if (!changed || _chart is null || _axis is null) return;

        var newest = observations[^1].Timestamp;
        if (Range.FollowsNow && newest > _axis.To)
        {
            // Past the end of the axis: the chart takes new options (in place) with the axis stretched to now.
            var now = Time.GetUtcNow();
            _axis = _axis with { To = newest > now ? newest : now };
            _options = ChartOptions.Line(Indicator, Series(), _axis, Texts());
            StateHasChanged();
        }
        else
        {
            await _chart.UpdateSeriesAsync(ChartOptions.LineSeries(Series()));
        }
    }

    private List<(Site Site, IReadOnlyList<SeriesPoint> Points)> Series() =>
        [.. Sites.Select(site => (site, (IReadOnlyList<SeriesPoint>)(_points.GetValueOrDefault(site.Id) ?? [])))];

    private ChartTexts Texts() => new(L["Chart.NoData"], L["Time.Utc"], state => L.State(state));
}
