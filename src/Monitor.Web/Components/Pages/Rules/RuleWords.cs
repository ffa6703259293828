using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Resources;

namespace Monitor.Web.Components.Pages.Rules;

/// <summary>How a rule reads on screen: its scope, condition and durations in words, and its validation messages in the form's words.</summary>
public static partial class RuleWords
{
    public static string Scope(IStringLocalizer<Strings> l, AlertRule rule, CatalogSnapshot catalog) =>
        rule.SiteId is { } siteId ? catalog.FindSite(siteId)?.Name ?? siteId
        : rule.Region is { } region ? l["Rules.Scope.RegionOf", region]
        : l["Rules.Scope.AllSites"];

    public static string Condition(IStringLocalizer<Strings> l, AlertRule rule, IndicatorDefinition? indicator)
    {
        var unit = indicator?.Unit;
        var text = rule.Operator switch
        {
            RuleOperator.Below => Clearing(l["Rules.Condition.Below.Words", Value(rule.Threshold, unit)], rule.ClearThreshold, "Rules.Condition.ClearsAbove", unit),
            RuleOperator.Above => Clearing(l["Rules.Condition.Above.Words", Value(rule.Threshold, unit)], rule.ClearThreshold, "Rules.Condition.ClearsBelow", unit),
            RuleOperator.Spike => Clearing(
                l["Rules.Condition.Spike.Words", Factor(rule.Threshold), Duration(l, rule.BaselineWindow ?? TimeSpan.Zero)], rule.ClearThreshold, "Rules.Condition.ClearsUnder", null),
            RuleOperator.In => l["Rules.Condition.In.Words", string.Join(l["Rules.Condition.Or"], (rule.States ?? []).Select(s => l.State(s)))],
            _ => l["Rules.Condition.NoReport.Words", Duration(l, indicator is null ? rule.StaleAfter ?? TimeSpan.Zero : rule.NoDataAfter(indicator) ?? TimeSpan.Zero)],
        };
        if (rule.Operator is not null && rule.StaleAfter is { } stale) text += l["Rules.Condition.AlsoNoReport", Duration(l, stale)];
        return text;

        string Clearing(string condition, double? clear, string key, string? clearUnit) =>
            clear is { } c ? condition + l[key, clearUnit is null && rule.Operator == RuleOperator.Spike ? Factor(c) : Value(c, clearUnit)] : condition;
    }

    public static string Value(double? value, string? unit) => value is { } v ? ReadingText.Value(v, unit) : "?";

    public static string Factor(double? factor) => factor is { } f ? f.ToString("0.##", CultureInfo.CurrentCulture) + "×" : "?";

    /// <summary>A duration as people say it: "6 h", "7 days", "90 min", "1 day 12 h".</summary>
    public static string Duration(IStringLocalizer<Strings> l, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return l["Rules.Duration.None"];
        var days = (int)duration.TotalDays;
        var rest = duration - TimeSpan.FromDays(days);
        var parts = new List<string>();
        if (days > 0) parts.Add(days == 1 ? l["Rules.Duration.Day"] : l["Rules.Duration.Days", days]);
        if (rest.TotalHours >= 1 && rest.Minutes == 0) parts.Add(l["Rules.Duration.Hours", (int)rest.TotalHours]);
        else if (rest > TimeSpan.Zero) parts.Add(l["Rules.Duration.Minutes", (int)Math.Round(rest.TotalMinutes)]);
        return string.Join(" ", parts);
    }

    private static readonly (Regex Pattern, string Words)[] FieldWords =
    [
        (FieldName("clearThreshold"), "clear threshold"),
        (FieldName("baselineWindow"), "baseline window"),
        (FieldName("staleAfter"), "no-report period"),
        (FieldName("indicatorId"), "indicator"),
        (FieldName("siteId"), "site"),
    ];

    /// <summary>
    /// A validation message from <c>AlertCommands.ToRule</c>, which names JSON fields and TimeSpan literals for API
    /// clients, in the words of the form the person is filling in.
    /// </summary>
    public static string Explain(string field, string message)
    {
        var text = message;
        foreach (var (pattern, words) in FieldWords) text = pattern.Replace(text, words);
        if (field == "for" && text.StartsWith("for ", StringComparison.Ordinal)) text = "hold time " + text[4..];
        text = DayLiteral().Replace(text, m => m.Groups[1].Value == "1" ? "1 day" : $"{m.Groups[1].Value} days");
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static Regex FieldName(string name) => new($@"\b{name}\b", RegexOptions.CultureInvariant);

    [GeneratedRegex("\"(\\d+)\\.00:00:00\"", RegexOptions.CultureInvariant)]
    private static partial Regex DayLiteral();
}
