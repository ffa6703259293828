using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

public sealed class RuleConditionTests
{
    private static readonly AlertRule Below = new(
        "r", "r", TestCatalog.FuelStationsOpen, null, null, RuleOperator.Below, 30, 35, null, null, null, null, Severity.Warning, true);

    private static readonly AlertRule Spike = Below with
    {
        Operator = RuleOperator.Spike, Threshold = 1.5, ClearThreshold = 1.2, BaselineWindow = TimeSpan.FromDays(7),
    };

    [Theory]
    [InlineData(RuleOperator.Below, 29.9, Condition.Breach)]
    [InlineData(RuleOperator.Below, 30, Condition.Hold)]
    [InlineData(RuleOperator.Below, 35, Condition.Hold)]
    [InlineData(RuleOperator.Below, 35.1, Condition.Clear)]
    [InlineData(RuleOperator.Above, 30.1, Condition.Breach)]
    [InlineData(RuleOperator.Above, 24.9, Condition.Clear)]
    [InlineData(RuleOperator.Above, 30, Condition.Hold)]
    public void Numeric_thresholds_with_a_clear_threshold(RuleOperator op, double value, Condition expected)
    {
        var rule = op == RuleOperator.Above ? Below with { Operator = op, ClearThreshold = 25 } : Below;
        Assert.Equal(expected, RuleCondition.Evaluate(rule, value, null));
    }

    [Fact]
    public void Above_without_a_clear_threshold_clears_at_the_threshold()
    {
        var rule = Below with { Operator = RuleOperator.Above, ClearThreshold = null };
        Assert.Equal(Condition.Clear, RuleCondition.Evaluate(rule, 30, null));
        Assert.Equal(Condition.Hold, RuleCondition.Evaluate(rule with { ClearThreshold = 20 }, 25, null));
    }

    [Theory]
    [InlineData(1500, 1000, Condition.Breach)]
    [InlineData(1499, 1000, Condition.Hold)]
    [InlineData(1200, 1000, Condition.Hold)]
    [InlineData(1199, 1000, Condition.Clear)]
    public void A_spike_compares_with_the_baseline_median(double value, double median, Condition expected) =>
        Assert.Equal(expected, RuleCondition.Evaluate(Spike, value, null, median));

    [Fact]
    public void A_spike_without_a_baseline_is_no_breach() =>
        Assert.Equal(Condition.Clear, RuleCondition.Evaluate(Spike, 1_000_000, null, baseline: null));

    [Fact]
    public void States_in_the_set_breach()
    {
        var rule = Below with { IndicatorId = TestCatalog.CrossingStatus, Operator = RuleOperator.In, Threshold = null, ClearThreshold = null, States = ["closed"] };
        Assert.Equal(Condition.Breach, RuleCondition.Evaluate(rule, null, "closed"));
        Assert.Equal(Condition.Clear, RuleCondition.Evaluate(rule, null, "restricted"));
    }

    [Fact]
    public void The_baseline_is_the_median_of_the_window_before_the_reading()
    {
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var window = new ReadingWindow(TimeSpan.FromDays(7));
        double[] prices = [1000, 1100, 900, 5000, 1050];
        for (var day = 0; day < prices.Length; day++) window.Set(start.AddDays(day), prices[day]);

        // Days 0–4: the median is 1050 whatever the outlier; day 5 is the reading being judged, not its own baseline.
        Assert.Equal(1050, window.MedianBefore(start.AddDays(5), TimeSpan.FromDays(7)));
        Assert.Equal(3025, window.MedianBefore(start.AddDays(5), TimeSpan.FromDays(2)));

        // A void takes its reading out of the baseline; readings older than the window's span are let go.
        window.Set(start.AddDays(3), null);
        Assert.Equal(1050, window.MedianBefore(start.AddDays(5), TimeSpan.FromDays(2)));
        window.Set(start.AddDays(20), 1000);
        Assert.Null(window.MedianBefore(start.AddDays(5), TimeSpan.FromDays(7)));
    }
}
