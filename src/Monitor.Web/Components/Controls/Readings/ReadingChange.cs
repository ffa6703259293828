using System.Globalization;
using Microsoft.Extensions.Localization;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Panels;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;
using Monitor.Web.Resources;

namespace Monitor.Web.Components.Controls.Readings;

/// <summary>
/// How a numeric reading moved over a range, in words: percentages move by points ("▼ 62.5 pts over 30 days"), other
/// units by a relative change ("▲ 48 % over 7 days"), or by their own unit when the start was zero.
/// </summary>
/// <param name="Direction"><c>up</c>, <c>down</c> or <c>flat</c>: for styling and tests, not a judgement.</param>
public sealed record ReadingChange(string Text, string Direction)
{
    /// <summary>Readings this far before the range tell what stood when it began (a sparse series rarely reports at its very start).</summary>
    private const int CadencesLookedBack = 3;

    /// <summary>What to read for the baseline: the range and a little before it, downsampled as the charts are, so the change matches the line.</summary>
    public static SeriesQuery BaselineQuery(string siteId, IndicatorDefinition indicator, ResolvedRange range) =>
        new(siteId, indicator.Id, range.From - indicator.Cadence * CadencesLookedBack, range.To, SeriesPanel.MaxPoints);

    /// <summary>The reading that stood when the range began, or else its first reading.</summary>
    public static SeriesPoint? Baseline(IReadOnlyList<SeriesPoint> points, ResolvedRange range) =>
        points.LastOrDefault(p => p.Value is not null && p.Timestamp <= range.From) ?? points.FirstOrDefault(p => p.Value is not null);

    /// <summary>The change from the baseline to the latest reading, when the latest lies in the range and came after it.</summary>
    public static ReadingChange? Over(IStringLocalizer<Strings> l, SeriesPoint? baseline, Observation? latest, string? unit, ResolvedRange range)
    {
        if (baseline?.Value is not { } from || latest?.Value is not { } to || latest.Timestamp <= baseline.Timestamp) return null;
        return range.Covers(latest.Timestamp) ? Of(l, from, to, unit, range.To - range.From) : null;
    }

    public static ReadingChange Of(IStringLocalizer<Strings> l, double first, double latest, string? unit, TimeSpan span)
    {
        var over = Span(l, span);
        var delta = latest - first;
        if (Math.Abs(delta) < 0.05) return new ReadingChange(l["Change.None", over], "flat");

        var culture = CultureInfo.CurrentCulture;
        string amount;
        if (unit == "%") amount = l["Change.Points", Math.Abs(delta).ToString("#,##0.#", culture)];
        else if (first != 0) amount = Math.Abs(delta / first * 100).ToString("#,##0", culture) + " %";
        else amount = ReadingText.Value(Math.Abs(delta), unit);

        return delta > 0 ? new ReadingChange(l["Change.Up", amount, over], "up") : new ReadingChange(l["Change.Down", amount, over], "down");
    }

    private static string Span(IStringLocalizer<Strings> l, TimeSpan span)
    {
        if (span < TimeSpan.FromHours(47.5)) return l["Change.Hours", Math.Max(1, (int)Math.Round(span.TotalHours))];
        var days = (int)Math.Round(span.TotalDays);
        return days == 1 ? l["Change.Day"] : l["Change.Days", days];
    }
}
