using Monitor.Domain.Catalog;

namespace Monitor.Domain.Alerts;

/// <summary>How a rule compares a reading: below or above a threshold, a state in a set, or a spike over the baseline.</summary>
public enum RuleOperator
{
    Below,
    Above,
    In,
    Spike,
}

/// <summary>How urgent an alert is; the order matters (a subscription's minimum severity compares by it).</summary>
public enum Severity
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// A threshold rule on one indicator. Scope: one site (<see cref="SiteId"/>), a region (<see cref="Region"/>), or all
/// sites the indicator applies to (neither). Without an <see cref="Operator"/> the rule watches only for missing reports.
/// </summary>
/// <param name="Threshold">
/// <c>below</c>/<c>above</c>: the limit in the indicator's unit. <c>spike</c>: the factor over the baseline median (1.5 =
/// 50 % above it).
/// </param>
/// <param name="ClearThreshold">
/// Hysteresis: a firing alert resolves only once the reading is past this (above it for <c>below</c>, under it for
/// <c>above</c> and <c>spike</c>); between the two the alert keeps its status.
/// </param>
/// <param name="For">How long the condition must hold before the alert fires; until then it is pending.</param>
/// <param name="StaleAfter">No report for this long raises a no-data alert.</param>
public sealed record AlertRule(
    string Id,
    string Name,
    string IndicatorId,
    string? SiteId,
    string? Region,
    RuleOperator? Operator,
    double? Threshold,
    double? ClearThreshold,
    IReadOnlyList<string>? States,
    TimeSpan? BaselineWindow,
    TimeSpan? For,
    TimeSpan? StaleAfter,
    Severity Severity,
    bool Enabled)
{
    /// <summary>Whether the rule watches this site: the indicator applies to it and the site is in the rule's scope.</summary>
    public bool Covers(Site site, IndicatorDefinition indicator) =>
        indicator.Id == IndicatorId
        && indicator.AppliesTo(site)
        && (SiteId is null || SiteId == site.Id)
        && (Region is null || string.Equals(Region, site.Region, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// How long without a report raises a no-data alert: <see cref="StaleAfter"/>, or, for a rule that watches only for
    /// missing reports, the moment the indicator's reading turns overdue (twice its cadence).
    /// </summary>
    public TimeSpan? NoDataAfter(IndicatorDefinition indicator) => StaleAfter ?? (Operator is null ? indicator.Cadence * 2 : null);
}
