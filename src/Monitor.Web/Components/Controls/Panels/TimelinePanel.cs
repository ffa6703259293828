using System.Text.Json.Nodes;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>A state indicator as a timeline: one row per site, coloured by state.</summary>
public sealed class TimelinePanel : SeriesPanel
{
    /// <summary>Readings this far before the range tell which state the range opens in.</summary>
    private const int CadencesLookedBack = 3;

    protected override IndicatorKind Kind => IndicatorKind.State;

    protected override string SkeletonHeight => $"{70 + 34 * Math.Max(2, Sites.Count)}px";

    protected override DateTimeOffset QueryFrom => Range.From - Indicator.Cadence * CadencesLookedBack;

    protected override SeriesPoint? PointOf(RecordedObservation o) =>
        o.State is null ? null : new SeriesPoint(o.Timestamp, State: o.State, Source: o.Source, Note: o.Note);

    // A live range runs to the present, and the last known state holds until now: every reading stretches the axis.
    protected override bool StretchesAxis(DateTimeOffset newest) => true;

    protected override JsonObject Options() => ChartOptions.Timeline(Indicator, Rows(), Axis, Texts());

    protected override JsonArray Series() => ChartOptions.TimelineSeries(Indicator, Rows(), Axis, Texts());

    private List<(Site Site, IReadOnlyList<StateSegment> Segments)> Rows() =>
        [.. Sites.Select(site => (site, StateTimeline.Segments(PointsOf(site), Range.From, Axis.To)))];
}
