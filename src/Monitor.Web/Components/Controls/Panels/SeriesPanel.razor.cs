using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>
/// A panel drawn as one ApexCharts chart of every site's series: loaded downsampled from the store, kept current by
/// merging live readings in place, and, on a live range, with its axis stretched as readings arrive past its end.
/// Subclasses say which readings they take and how the chart looks.
/// </summary>
public abstract partial class SeriesPanel : PanelBase
{
    /// <summary>About one point per two pixels of a wide chart: more would not show, fewer would hide spikes.</summary>
    public const int MaxPoints = 500;

    private readonly Dictionary<string, List<SeriesPoint>> _points = new(StringComparer.Ordinal);
    private ApexChart? _chart;
    private JsonObject? _options;

    /// <summary>The range the axis shows: a live range's end moves forward with the readings that arrive.</summary>
    protected ResolvedRange Axis { get; private set; } = default!;

    protected abstract IndicatorKind Kind { get; }

    protected abstract string SkeletonHeight { get; }

    /// <summary>Where the query starts; a subclass may look back before the range.</summary>
    protected virtual DateTimeOffset QueryFrom => Range.From;

    /// <summary>The point a live reading becomes, or null when this panel does not draw it.</summary>
    protected abstract SeriesPoint? PointOf(RecordedObservation observation);

    /// <summary>Whether a reading at <paramref name="newest"/> moves the end of a live axis.</summary>
    protected abstract bool StretchesAxis(DateTimeOffset newest);

    protected abstract JsonObject Options();

    protected abstract JsonArray Series();

    /// <summary>What a click on a point does; none unless a subclass says (the chart's points are then not clickable).</summary>
    protected virtual EventCallback<ChartPointPick> PointPicked => default;

    protected IReadOnlyList<SeriesPoint> PointsOf(Site site) => _points.GetValueOrDefault(site.Id) ?? [];

    protected ChartTexts Texts() => new(L["Chart.NoData"], L["Time.Utc"], state => L.State(state));

    protected override async Task LoadAsync()
    {
        var queries = Sites.Select(site =>
            Store.QueryAsync(new SeriesQuery(site.Id, Indicator.Id, QueryFrom, Range.To, MaxPoints), Kind, CancellationToken.None));
        var results = await Task.WhenAll(queries);

        _points.Clear();
        for (var i = 0; i < Sites.Count; i++) _points[Sites[i].Id] = [.. results[i]];
        Axis = Range;
        await LoadMarksAsync();
        _options = Options();
    }

    /// <summary>Loads what the chart draws besides the series (rule thresholds, alert episodes), before its options are made.</summary>
    protected virtual Task LoadMarksAsync() => Task.CompletedTask;

    /// <summary>Gives the existing chart new options (updated in place, not re-created), e.g. after its marks changed.</summary>
    protected void RedrawOptions()
    {
        if (_options is null) return;
        _options = Options();
        StateHasChanged();
    }

    protected override async Task ApplyAsync(IReadOnlyList<RecordedObservation> observations)
    {
        var changed = false;
        foreach (var o in observations)
        {
            if (!Range.Covers(o.Timestamp) || !_points.TryGetValue(o.SiteId, out var points) || PointOf(o) is not { } point) continue;
            var at = points.FindLastIndex(p => p.Timestamp <= o.Timestamp);
            if (at >= 0 && points[at].Timestamp == o.Timestamp) points[at] = point;
            else points.Insert(at + 1, point);
            changed = true;
        }
        if (!changed || _chart is null || _options is null) return;

        var newest = observations[^1].Timestamp;
        if (Range.FollowsNow && StretchesAxis(newest))
        {
            // The chart takes new options (in place, not re-created) with the axis stretched to now.
            var now = Time.GetUtcNow();
            Axis = Axis with { To = newest > now ? newest : now };
            _options = Options();
            StateHasChanged();
        }
        else
        {
            await _chart.UpdateSeriesAsync(Series());
        }
    }
}
