using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Web.Alerts;

namespace Monitor.Web.Components.Pages.Rules;

public enum RuleScope
{
    AllSites,
    Region,
    Site,
}

/// <summary>What a rule watches for, as the form offers it: the operators, plus "only missing reports".</summary>
public enum ConditionChoice
{
    Below,
    Above,
    Spike,
    In,
    NoReport,
}

/// <summary>
/// The rule being edited, shaped as the form asks for it (a scope choice, a condition choice) and turned into a
/// <see cref="RuleInput"/> that carries only the fields that condition uses.
/// </summary>
public sealed class RuleForm
{
    public string Name { get; set; } = "";
    public string? IndicatorId { get; set; }
    public RuleScope Scope { get; set; }
    public string? Region { get; set; }
    public string? SiteId { get; set; }
    public ConditionChoice Condition { get; set; } = ConditionChoice.Below;
    public double? Threshold { get; set; }
    public double? ClearThreshold { get; set; }
    public HashSet<string> States { get; } = new(StringComparer.Ordinal);
    public TimeSpan? BaselineWindow { get; set; }
    public TimeSpan? For { get; set; }
    public TimeSpan? StaleAfter { get; set; }
    public Severity Severity { get; set; } = Severity.Warning;
    public bool Enabled { get; set; } = true;

    public static RuleForm From(AlertRule rule)
    {
        var form = new RuleForm
        {
            Name = rule.Name,
            IndicatorId = rule.IndicatorId,
            Scope = rule.SiteId is not null ? RuleScope.Site : rule.Region is not null ? RuleScope.Region : RuleScope.AllSites,
            Region = rule.Region,
            SiteId = rule.SiteId,
            Condition = rule.Operator switch
            {
                RuleOperator.Below => ConditionChoice.Below,
                RuleOperator.Above => ConditionChoice.Above,
                RuleOperator.Spike => ConditionChoice.Spike,
                RuleOperator.In => ConditionChoice.In,
                _ => ConditionChoice.NoReport,
            },
            Threshold = rule.Threshold,
            ClearThreshold = rule.ClearThreshold,
            BaselineWindow = rule.BaselineWindow,
            For = rule.For,
            StaleAfter = rule.StaleAfter,
            Severity = rule.Severity,
            Enabled = rule.Enabled,
        };
        form.States.UnionWith(rule.States ?? []);
        return form;
    }

    /// <summary>The conditions that fit an indicator: numbers compare or spike, states match a set; any may watch for silence.</summary>
    public static IReadOnlyList<ConditionChoice> ConditionsFor(IndicatorDefinition? indicator) => indicator?.Kind switch
    {
        IndicatorKind.Numeric => [ConditionChoice.Below, ConditionChoice.Above, ConditionChoice.Spike, ConditionChoice.NoReport],
        IndicatorKind.State => [ConditionChoice.In, ConditionChoice.NoReport],
        _ => [],
    };

    /// <summary>After the indicator changed: keeps what still fits it and drops what cannot (another indicator's states).</summary>
    public void Fit(IndicatorDefinition? indicator)
    {
        var conditions = ConditionsFor(indicator);
        if (conditions.Count > 0 && !conditions.Contains(Condition)) Condition = conditions[0];
        States.IntersectWith(indicator?.States ?? []);
    }

    /// <param name="indicator">Orders the chosen states as the indicator lists them (normal to worst).</param>
    public RuleInput ToInput(string? id, IndicatorDefinition? indicator)
    {
        var op = Condition switch
        {
            ConditionChoice.Below => RuleOperator.Below,
            ConditionChoice.Above => RuleOperator.Above,
            ConditionChoice.Spike => RuleOperator.Spike,
            ConditionChoice.In => RuleOperator.In,
            _ => (RuleOperator?)null,
        };
        var compares = Condition is ConditionChoice.Below or ConditionChoice.Above or ConditionChoice.Spike;
        return new RuleInput(
            id,
            Name,
            IndicatorId,
            Scope == RuleScope.Site ? SiteId : null,
            Scope == RuleScope.Region ? Region : null,
            op,
            compares ? Threshold : null,
            compares ? ClearThreshold : null,
            Condition == ConditionChoice.In ? OrderedStates(indicator) : null,
            Condition == ConditionChoice.Spike ? BaselineWindow : null,
            op is null ? null : For,
            StaleAfter,
            Severity,
            Enabled);
    }

    private IReadOnlyList<string> OrderedStates(IndicatorDefinition? indicator) =>
        indicator is null ? [.. States.Order(StringComparer.Ordinal)] : StateSeverity.Order(indicator, States);
}
