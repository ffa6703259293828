using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

public sealed class RuleValidatorTests
{
    private static readonly AlertRule Valid = new(
        "fuel-low", "Fuel stations open below 30 %", TestCatalog.FuelStationsOpen, null, null, RuleOperator.Below,
        30, 35, null, null, TimeSpan.FromHours(6), null, Severity.Critical, true);

    public static TheoryData<string, AlertRule, string> Invalid => new()
    {
        { "no name", Valid with { Name = " " }, "name" },
        { "unknown indicator", Valid with { IndicatorId = "fuel.nope" }, "indicatorId" },
        { "threshold outside the range", Valid with { Threshold = 130, ClearThreshold = null }, "threshold" },
        { "threshold missing", Valid with { Threshold = null }, "threshold" },
        { "NaN threshold", Valid with { Threshold = double.NaN }, "threshold" },
        { "clear threshold on the wrong side", Valid with { ClearThreshold = 20 }, "clearThreshold" },
        { "states on a numeric indicator", Valid with { Operator = RuleOperator.In, Threshold = null, ClearThreshold = null, States = ["closed"] }, "operator" },
        { "below on a state indicator", Valid with { IndicatorId = TestCatalog.CrossingStatus, ClearThreshold = null }, "operator" },
        { "a state the indicator lacks", Valid with { IndicatorId = TestCatalog.CrossingStatus, Operator = RuleOperator.In, Threshold = null, ClearThreshold = null, States = ["shut"] }, "states" },
        { "every state", Valid with { IndicatorId = TestCatalog.CrossingStatus, Operator = RuleOperator.In, Threshold = null, ClearThreshold = null, States = ["open", "restricted", "closed"] }, "states" },
        { "spike without a window", Valid with { Operator = RuleOperator.Spike, Threshold = 1.5, ClearThreshold = null }, "baselineWindow" },
        { "spike factor below one", Valid with { Operator = RuleOperator.Spike, Threshold = 0.5, ClearThreshold = null, BaselineWindow = TimeSpan.FromDays(7) }, "threshold" },
        { "absurd for", Valid with { For = TimeSpan.FromDays(4000) }, "for" },
        { "negative for", Valid with { For = TimeSpan.FromHours(-1) }, "for" },
        { "staleAfter of a second", Valid with { StaleAfter = TimeSpan.FromSeconds(1) }, "staleAfter" },
        { "unknown site", Valid with { SiteId = "atlantis" }, "siteId" },
        { "a site the indicator does not apply to", Valid with { SiteId = TestCatalog.Baiji }, "siteId" },
        { "unknown region", Valid with { Region = "Atlantis" }, "region" },
        { "site and region", Valid with { SiteId = TestCatalog.Mosul, Region = "Ninawa" }, "region" },
        { "control characters in the name", Valid with { Name = "a\u0007b" }, "name" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Names_the_field_of_an_invalid_rule(string description, AlertRule rule, string field)
    {
        var errors = RuleValidator.Validate(rule, TestCatalog.Create());
        Assert.True(errors.ContainsKey(field), $"{description}: expected an error on '{field}', got [{string.Join(", ", errors.Keys)}]");
    }

    public static TheoryData<AlertRule> ValidRules => new()
    {
        Valid,
        Valid with { SiteId = TestCatalog.Mosul },
        Valid with { Region = "ninawa" },
        Valid with { IndicatorId = TestCatalog.CrossingStatus, Operator = RuleOperator.In, Threshold = null, ClearThreshold = null, States = ["closed"], For = null },
        Valid with { IndicatorId = TestCatalog.QueueLength, Operator = RuleOperator.Spike, Threshold = 1.5, ClearThreshold = 1.2, BaselineWindow = TimeSpan.FromDays(7) },
        Valid with { Operator = null, Threshold = null, ClearThreshold = null, For = null },
        Valid with { Operator = null, Threshold = null, ClearThreshold = null, For = null, StaleAfter = TimeSpan.FromDays(2) },
    };

    [Theory]
    [MemberData(nameof(ValidRules))]
    public void Accepts_a_valid_rule(AlertRule rule) => Assert.Empty(RuleValidator.Validate(rule, TestCatalog.Create()));
}
