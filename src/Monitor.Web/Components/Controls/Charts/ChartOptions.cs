using System.Text.Json.Nodes;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Components.Controls.TimeRanges;

namespace Monitor.Web.Components.Controls.Charts;

/// <summary>Texts a chart shows, taken from the UI's resources by the caller.</summary>
public sealed record ChartTexts(string NoData, string Utc, Func<string, string> StateLabel);

/// <summary>What a line chart draws besides its series: the thresholds of rules on its sites, and their alert episodes.</summary>
public sealed record ChartMarks(IReadOnlyList<AlertRule> Rules, IReadOnlyList<AlertView> Episodes)
{
    public static readonly ChartMarks None = new([], []);
}

/// <summary>
/// ApexCharts options for the two views of the app: a line chart of a numeric indicator (one series per site) and a
/// state timeline (one row per site, segments coloured by <see cref="StatePalette"/>). Times travel as Unix
/// milliseconds and the axes are drawn in UTC.
/// </summary>
public static class ChartOptions
{
    /// <summary>Distinguishes sites from each other; kept apart from the green/amber/red that mean states.</summary>
    public static readonly IReadOnlyList<string> SiteColors =
    [
        "#2F6DB5", "#E07B39", "#3BA39C", "#8E5EA2", "#C9A227", "#D45D79", "#5B8C2A", "#1F9BCF", "#8C6D52", "#6B7A8F",
    ];

    private const int TimelineRowHeight = 34;

    public static JsonObject Line(
        IndicatorDefinition indicator, IReadOnlyList<(Site Site, IReadOnlyList<SeriesPoint> Points)> series, ResolvedRange range, ChartTexts texts,
        ChartMarks? marks = null)
    {
        marks ??= ChartMarks.None;
        // A threshold above every reading still shows: the axis reaches up to it.
        var dataMax = series.SelectMany(s => s.Points).Select(p => p.Value)
            .Concat(marks.Rules.Select(r => r.Threshold)).Max();
        var yaxis = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = indicator.Unit ?? indicator.Name, ["style"] = new JsonObject { ["fontWeight"] = 500 } },
            ["forceNiceScale"] = true,
        };
        if (indicator.Min is { } min) yaxis["min"] = min;
        // The full valid range only when the data fills much of it: a price far below its ceiling would flatten otherwise.
        if (indicator.Max is { } max && indicator.Min is { } floor && dataMax is { } top && top >= floor + (max - floor) / 2)
            yaxis["max"] = max;

        return new JsonObject
        {
            ["chart"] = Chart("line", 300),
            ["series"] = LineSeries(series),
            ["colors"] = Colors(SiteColors.Take(Math.Max(1, series.Count))),
            ["stroke"] = new JsonObject { ["width"] = 2, ["curve"] = "straight" },
            // A series of one reading has no line to draw: show its point.
            ["markers"] = new JsonObject
            {
                ["size"] = new JsonArray([.. series.Select(s => (JsonNode)(s.Points.Count(p => p.Value is not null) == 1 ? 4 : 0))]),
                ["hover"] = new JsonObject { ["size"] = 4 },
            },
            ["xaxis"] = TimeAxis(range),
            ["yaxis"] = yaxis,
            ["legend"] = new JsonObject { ["position"] = "bottom", ["horizontalAlign"] = "center" },
            // Shared, so the tooltip follows the pointer along the time axis; its content is worked out in the chart's script.
            ["tooltip"] = new JsonObject { ["shared"] = true },
            ["grid"] = Grid(),
            ["noData"] = new JsonObject { ["text"] = texts.NoData },
            ["annotations"] = Annotations(marks, range, series.Count),
            ["monitor"] = new JsonObject { ["kind"] = "line", ["unit"] = indicator.Unit, ["decimals"] = 1, ["utc"] = texts.Utc },
        };
    }

    /// <summary>
    /// Rule thresholds as dashed horizontal lines (<c>annotations.yaxis</c>), each in its severity's colour. A chart of one
    /// site shades its alert episodes as bands from start to resolution, or to the end of the axis while active
    /// (<c>annotations.xaxis</c> with <c>x</c> and <c>x2</c>); on a chart of several sites, where bands would pile up over
    /// each other's lines, each firing is marked on its site's line instead (<c>annotations.points</c>).
    /// </summary>
    public static JsonObject Annotations(ChartMarks marks, ResolvedRange range, int siteCount = 1)
    {
        var lines = marks.Rules
            .GroupBy(r => (r.Threshold, r.Severity))
            .Select(g => (JsonNode)new JsonObject
            {
                ["y"] = g.Key.Threshold,
                ["borderColor"] = Tone.Color(g.Key.Severity),
                ["strokeDashArray"] = 6,
                ["label"] = Label(string.Join(" · ", g.Select(r => r.Name)), g.Key.Severity),
            });
        var from = range.From.ToUnixTimeMilliseconds();
        var end = range.To.ToUnixTimeMilliseconds();
        if (siteCount > 1)
        {
            var points = marks.Episodes
                .Where(e => e.FiredAt is { } fired && fired >= range.From && fired <= range.To && e.Value is not null)
                .Select(e => (JsonNode)new JsonObject
                {
                    ["x"] = e.FiredAt!.Value.ToUnixTimeMilliseconds(),
                    ["y"] = e.Value,
                    ["marker"] = new JsonObject
                    {
                        ["size"] = 5, ["fillColor"] = Tone.Color(e.Severity), ["strokeColor"] = "#FFFFFF", ["strokeWidth"] = 2,
                    },
                    ["label"] = new JsonObject
                    {
                        ["text"] = e.SiteName,
                        ["borderWidth"] = 0,
                        ["style"] = new JsonObject { ["color"] = Tone.Color(e.Severity), ["background"] = "transparent", ["fontSize"] = "11px" },
                    },
                });
            return new JsonObject { ["yaxis"] = new JsonArray([.. lines]), ["xaxis"] = new JsonArray(), ["points"] = new JsonArray([.. points]) };
        }
        var bands = marks.Episodes
            .Select(e => (JsonNode)new JsonObject
            {
                ["x"] = Math.Max(e.StartedAt.ToUnixTimeMilliseconds(), from),
                ["x2"] = Math.Min(e.ResolvedAt?.ToUnixTimeMilliseconds() ?? end, end),
                ["fillColor"] = Tone.Color(e.Severity),
                ["borderColor"] = Tone.Color(e.Severity),
                ["opacity"] = e.FiredAt is null ? 0.06 : 0.12,
                // The threshold line names the rule; a label per band would only repeat it over the lines.
                ["label"] = new JsonObject { ["text"] = "", ["borderWidth"] = 0 },
            });
        return new JsonObject { ["yaxis"] = new JsonArray([.. lines]), ["xaxis"] = new JsonArray([.. bands]), ["points"] = new JsonArray() };

        static JsonObject Label(string text, Severity severity) => new()
        {
            ["text"] = text,
            ["position"] = "right",
            ["textAnchor"] = "end",
            ["borderColor"] = Tone.Color(severity),
            ["style"] = new JsonObject { ["color"] = "#FFFFFF", ["background"] = Tone.Color(severity), ["fontSize"] = "11px" },
        };
    }

    public static JsonArray LineSeries(IReadOnlyList<(Site Site, IReadOnlyList<SeriesPoint> Points)> series) =>
        [.. series.Select(s => new JsonObject
        {
            ["name"] = s.Site.Name,
            ["data"] = new JsonArray([.. s.Points
                .Where(p => p.Value is not null)
                .Select(p => (JsonNode)new JsonArray(p.Timestamp.ToUnixTimeMilliseconds(), Math.Round(p.Value!.Value, 2)))]),
        })];

    public static JsonObject Timeline(
        IndicatorDefinition indicator, IReadOnlyList<(Site Site, IReadOnlyList<StateSegment> Segments)> rows, ResolvedRange range, ChartTexts texts)
    {
        var states = StatesShown(indicator, rows);
        return new JsonObject
        {
            ["chart"] = Chart("rangeBar", 70 + TimelineRowHeight * Math.Max(2, rows.Count)),
            ["series"] = TimelineSeries(indicator, rows, range, texts),
            ["colors"] = Colors(states.Select(s => StatePalette.ColorOf(indicator, s))),
            ["plotOptions"] = new JsonObject
            {
                ["bar"] = new JsonObject { ["horizontal"] = true, ["rangeBarGroupRows"] = true, ["barHeight"] = "70%" },
            },
            ["fill"] = new JsonObject { ["opacity"] = 1 },
            ["stroke"] = new JsonObject { ["width"] = 1, ["colors"] = new JsonArray("#FFFFFF") },
            ["xaxis"] = TimeAxis(range),
            ["yaxis"] = new JsonObject { ["labels"] = new JsonObject { ["maxWidth"] = 180 } },
            ["legend"] = new JsonObject { ["position"] = "top", ["horizontalAlign"] = "center" },
            ["grid"] = Grid(),
            ["dataLabels"] = new JsonObject { ["enabled"] = false },
            ["noData"] = new JsonObject { ["text"] = texts.NoData },
            ["monitor"] = new JsonObject { ["kind"] = "timeline", ["utc"] = texts.Utc },
        };
    }

    /// <summary>
    /// One series per state, in the indicator's order, so the legend and the colours never shift with the data. The
    /// first series opens with an empty bar per site: ApexCharts orders rows by first appearance, and this keeps them
    /// in the panel's order, a site without readings included.
    /// </summary>
    public static JsonArray TimelineSeries(
        IndicatorDefinition indicator, IReadOnlyList<(Site Site, IReadOnlyList<StateSegment> Segments)> rows, ResolvedRange range, ChartTexts texts) =>
        [.. StatesShown(indicator, rows).Select((state, index) => new JsonObject
        {
            ["name"] = texts.StateLabel(state),
            ["data"] = new JsonArray([
                .. index == 0 ? rows.Select(row => Bar(row.Site, range.From, range.From)) : [],
                .. rows.SelectMany(row => row.Segments
                    .Where(s => string.Equals(s.State, state, StringComparison.OrdinalIgnoreCase))
                    .Select(s => Bar(row.Site, s.From, s.To))),
            ]),
        })];

    private static JsonNode Bar(Site site, DateTimeOffset from, DateTimeOffset to) => new JsonObject
    {
        ["x"] = site.Name,
        ["y"] = new JsonArray(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds()),
    };

    private static IReadOnlyList<string> StatesShown(IndicatorDefinition indicator, IReadOnlyList<(Site Site, IReadOnlyList<StateSegment> Segments)> rows)
    {
        var unknown = rows.SelectMany(r => r.Segments).Select(s => s.State)
            .Where(s => !indicator.States.Contains(s, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return [.. indicator.States, .. unknown];
    }

    private static JsonObject Chart(string type, int height) => new()
    {
        ["type"] = type,
        ["height"] = height,
        ["fontFamily"] = "inherit",
        ["animations"] = new JsonObject { ["enabled"] = false },
        ["zoom"] = new JsonObject { ["enabled"] = type == "line" },
        ["toolbar"] = new JsonObject
        {
            ["show"] = true,
            ["tools"] = new JsonObject
            {
                ["download"] = true, ["selection"] = false, ["zoom"] = type == "line", ["zoomin"] = false,
                ["zoomout"] = false, ["pan"] = false, ["reset"] = type == "line",
            },
        },
    };

    private static JsonObject TimeAxis(ResolvedRange range) => new()
    {
        ["type"] = "datetime",
        ["min"] = range.From.ToUnixTimeMilliseconds(),
        ["max"] = range.To.ToUnixTimeMilliseconds(),
        ["labels"] = new JsonObject { ["datetimeUTC"] = true, ["datetimeFormatter"] = DateFormats() },
    };

    private static JsonObject DateFormats() => new()
    {
        ["year"] = "yyyy",
        ["month"] = "MMM yyyy",
        ["day"] = "dd MMM",
        ["hour"] = "HH:mm",
    };

    private static JsonObject Grid() => new()
    {
        ["borderColor"] = "#E3E8EF",
        ["strokeDashArray"] = 3,
    };

    private static JsonArray Colors(IEnumerable<string> colors) => [.. colors.Select(c => (JsonNode)c)];
}
