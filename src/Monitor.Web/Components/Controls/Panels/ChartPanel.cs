using System.Text.Json.Nodes;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>A numeric indicator as a line chart, one series per site, downsampled by the store.</summary>
public sealed class ChartPanel : SeriesPanel
{
    protected override IndicatorKind Kind => IndicatorKind.Numeric;

    protected override string SkeletonHeight => "300px";

    protected override SeriesPoint? PointOf(RecordedObservation o) =>
        o.Value is { } value ? new SeriesPoint(o.Timestamp, value, Source: o.Source, Note: o.Note) : null;

    // Within the axis the series just grows; only a reading past its end needs a new axis.
    protected override bool StretchesAxis(DateTimeOffset newest) => newest > Axis.To;

    protected override JsonObject Options() => ChartOptions.Line(Indicator, Lines(), Axis, Texts());

    protected override JsonArray Series() => ChartOptions.LineSeries(Lines());

    private List<(Site Site, IReadOnlyList<SeriesPoint> Points)> Lines() => [.. Sites.Select(site => (site, PointsOf(site)))];
}
