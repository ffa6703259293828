using System.Globalization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;

namespace Monitor.Web.Alerts;

/// <summary>The one-line message of an alert, as a logistics officer would read it on a phone or in a terminal.</summary>
public static class AlertMessage
{
    public static string Describe(Alert alert, AlertRule rule, Site site, IndicatorDefinition indicator)
    {
        var subject = $"{indicator.Name} at {site.Name}";
        if (alert.NoData)
        {
            return alert.IsActive
                ? $"No {indicator.Name} report from {site.Name} since {Time(alert.StartedAt - (rule.NoDataAfter(indicator) ?? TimeSpan.Zero))}"
                : $"{subject} reported again";
        }

        var reading = alert.Value is { } value ? Number(value, indicator.Unit) : alert.State ?? "—";
        var condition = (rule.Operator, alert.IsActive) switch
        {
            (RuleOperator.Below, true) => $"below {Number(rule.Threshold, indicator.Unit)}",
            (RuleOperator.Below, false) => $"back above {Number(rule.ClearThreshold ?? rule.Threshold, indicator.Unit)}",
            (RuleOperator.Above, true) => $"above {Number(rule.Threshold, indicator.Unit)}",
            (RuleOperator.Above, false) => $"back below {Number(rule.ClearThreshold ?? rule.Threshold, indicator.Unit)}",
            (RuleOperator.Spike, true) => $"{Factor(rule.Threshold)} or more its {Span(rule.BaselineWindow)} median",
            (RuleOperator.Spike, false) => $"back under {Factor(rule.ClearThreshold ?? rule.Threshold)} its {Span(rule.BaselineWindow)} median",
            (RuleOperator.In, true) => null,
            _ => "no longer " + string.Join(" or ", rule.States ?? []),
        };
        var flapping = alert.Flapping ? " (flapping)" : "";
        return condition is null ? $"{subject} is {reading}{flapping}" : $"{subject} is {reading} — {condition}{flapping}";
    }

    private static string Number(double? value, string? unit) => value is not { } v
        ? "—"
        : (v.ToString("#,0.##", CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(unit) ? "" : unit == "%" ? " %" : " " + unit));

    private static string Factor(double? factor) => (factor ?? 0).ToString("0.##", CultureInfo.InvariantCulture) + "×";

    private static string Span(TimeSpan? window) => window is not { } w ? "" : w.TotalDays >= 1 && w.TotalDays % 1 == 0
        ? FormattableString.Invariant($"{w.TotalDays:0}-day")
        : FormattableString.Invariant($"{w.TotalHours:0.#}-hour");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
