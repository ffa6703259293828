using Monitor.Domain.Catalog;

namespace Monitor.Domain.Alerts;

/// <summary>
/// Checks a rule against the catalog before it is saved or previewed. Errors are keyed by the field's JSON name, in the
/// words a coordinator would use, so a form can show each next to its input.
/// </summary>
public static class RuleValidator
{
    public const int MaxNameLength = 200;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);
    public static readonly TimeSpan MinStaleAfter = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MinBaselineWindow = TimeSpan.FromHours(1);

    public static IReadOnlyDictionary<string, string[]> Validate(AlertRule rule, CatalogSnapshot catalog)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        if (string.IsNullOrWhiteSpace(rule.Name)) Add(errors, "name", "Give the rule a name.");
        else if (rule.Name.Length > MaxNameLength) Add(errors, "name", $"name is at most {MaxNameLength} characters.");
        else if (rule.Name.Any(char.IsControl)) Add(errors, "name", "name must not contain control characters.");

        var indicator = string.IsNullOrEmpty(rule.IndicatorId) ? null : catalog.FindIndicator(rule.IndicatorId);
        if (indicator is null) Add(errors, "indicatorId", string.IsNullOrEmpty(rule.IndicatorId) ? "indicatorId is required." : $"Unknown indicator '{rule.IndicatorId}'.");

        ValidateScope(rule, indicator, catalog, errors);
        if (indicator is not null) ValidateCondition(rule, indicator, errors);
        ValidateDuration(rule.For, "for", TimeSpan.Zero, errors);
        ValidateDuration(rule.StaleAfter, "staleAfter", MinStaleAfter, errors);

        if (rule.Operator is null && rule.For is not null) Add(errors, "for", "for applies only to a rule with an operator.");

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void ValidateScope(AlertRule rule, IndicatorDefinition? indicator, CatalogSnapshot catalog, Dictionary<string, List<string>> errors)
    {
        if (rule.SiteId is not null && rule.Region is not null)
        {
            Add(errors, "region", "Scope a rule to one site or one region, not both.");
            return;
        }
        if (rule.SiteId is not null)
        {
            var site = catalog.FindSite(rule.SiteId);
            if (site is null) Add(errors, "siteId", $"Unknown site '{rule.SiteId}'.");
            else if (indicator is not null && !indicator.AppliesTo(site))
                Add(errors, "siteId", $"'{indicator.Name}' is not reported at {site.Name} (a {site.Kind}).");
        }
        if (rule.Region is not null && !catalog.Sites.Any(s => string.Equals(s.Region, rule.Region, StringComparison.OrdinalIgnoreCase)))
            Add(errors, "region", $"No site lies in region '{rule.Region}'.");
    }

    private static void ValidateCondition(AlertRule rule, IndicatorDefinition indicator, Dictionary<string, List<string>> errors)
    {
        switch (rule.Operator)
        {
            case null:
                if (rule.Threshold is not null) Add(errors, "operator", "A threshold needs an operator (below, above or spike).");
                if (rule.States is { Count: > 0 }) Add(errors, "operator", "States need the operator 'in'.");
                break;
            case RuleOperator.Below or RuleOperator.Above:
                if (indicator.Kind != IndicatorKind.Numeric)
                {
                    Add(errors, "operator", $"'{indicator.Name}' reports states; use 'in' with a set of states.");
                    break;
                }
                if (!IsWithin(rule.Threshold, indicator)) Add(errors, "threshold", $"threshold must lie within {Range(indicator)}.");
                if (rule.ClearThreshold is { } clear)
                {
                    if (!IsWithin(clear, indicator)) Add(errors, "clearThreshold", $"clearThreshold must lie within {Range(indicator)}.");
                    else if (rule.Threshold is { } limit && rule.Operator == RuleOperator.Below && clear < limit)
                        Add(errors, "clearThreshold", "For 'below', clearThreshold must be at or above threshold (the alert clears on the way back up).");
                    else if (rule.Threshold is { } upper && rule.Operator == RuleOperator.Above && clear > upper)
                        Add(errors, "clearThreshold", "For 'above', clearThreshold must be at or below threshold (the alert clears on the way back down).");
                }
                NotFor(rule.States is { Count: > 0 }, "states", "states apply only to the operator 'in'.", errors);
                NotFor(rule.BaselineWindow is not null, "baselineWindow", "baselineWindow applies only to the operator 'spike'.", errors);
                break;
            case RuleOperator.Spike:
                if (indicator.Kind != IndicatorKind.Numeric)
                {
                    Add(errors, "operator", $"'{indicator.Name}' reports states; a spike needs numbers.");
                    break;
                }
                if (rule.Threshold is not { } factor || !double.IsFinite(factor) || factor <= 1 || factor > 100)
                    Add(errors, "threshold", "For 'spike', threshold is the factor over the baseline median: more than 1 (1.5 = 50 % above), at most 100.");
                if (rule.ClearThreshold is { } clearFactor
                    && (!double.IsFinite(clearFactor) || clearFactor < 1 || (rule.Threshold is { } f && clearFactor > f)))
                    Add(errors, "clearThreshold", "For 'spike', clearThreshold is a factor from 1 up to threshold.");
                if (rule.BaselineWindow is null) Add(errors, "baselineWindow", "A spike needs a baselineWindow, e.g. \"7.00:00:00\".");
                else ValidateDuration(rule.BaselineWindow, "baselineWindow", MinBaselineWindow, errors);
                NotFor(rule.States is { Count: > 0 }, "states", "states apply only to the operator 'in'.", errors);
                break;
            case RuleOperator.In:
                if (indicator.Kind != IndicatorKind.State)
                {
                    Add(errors, "operator", $"'{indicator.Name}' reports numbers; use 'below', 'above' or 'spike'.");
                    break;
                }
                if (rule.States is not { Count: > 0 } states) Add(errors, "states", $"Choose at least one of {string.Join(", ", indicator.States)}.");
                else
                {
                    var unknown = states.Where(s => !indicator.States.Contains(s, StringComparer.Ordinal)).ToArray();
                    if (unknown.Length > 0)
                        Add(errors, "states", $"'{string.Join("', '", unknown)}' is not a state of '{indicator.Name}' ({string.Join(", ", indicator.States)}).");
                    else if (states.Distinct(StringComparer.Ordinal).Count() == indicator.States.Count)
                        Add(errors, "states", "A rule on every state would always fire; leave out at least one.");
                }
                NotFor(rule.Threshold is not null, "threshold", "threshold does not apply to the operator 'in'.", errors);
                NotFor(rule.ClearThreshold is not null, "clearThreshold", "clearThreshold does not apply to the operator 'in'.", errors);
                NotFor(rule.BaselineWindow is not null, "baselineWindow", "baselineWindow applies only to the operator 'spike'.", errors);
                break;
        }
    }

    private static void ValidateDuration(TimeSpan? duration, string field, TimeSpan min, Dictionary<string, List<string>> errors)
    {
        if (duration is not { } value) return;
        if (value < min || value > MaxDuration)
            Add(errors, field, min == TimeSpan.Zero
                ? $"{field} must lie between 0 and 366 days."
                : $"{field} must lie between {Describe(min)} and 366 days.");
    }

    private static bool IsWithin(double? value, IndicatorDefinition indicator) =>
        value is { } v && double.IsFinite(v) && (indicator.Min is not { } min || v >= min) && (indicator.Max is not { } max || v <= max);

    private static string Range(IndicatorDefinition indicator) =>
        FormattableString.Invariant($"{indicator.Min ?? double.MinValue:0.##}–{indicator.Max ?? double.MaxValue:0.##} {indicator.Unit}").TrimEnd();

    private static string Describe(TimeSpan duration) => duration.TotalHours >= 1 ? $"{duration.TotalHours:0} hour(s)" : $"{duration.TotalMinutes:0} minute(s)";

    private static void NotFor(bool present, string field, string message, Dictionary<string, List<string>> errors)
    {
        if (present) Add(errors, field, message);
    }

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
        list.Add(message);
    }
}
