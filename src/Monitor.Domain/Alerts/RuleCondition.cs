namespace Monitor.Domain.Alerts;

/// <summary>What one reading says about a rule's condition.</summary>
public enum Condition
{
    /// <summary>The condition holds: the reading is past the threshold.</summary>
    Breach,

    /// <summary>The reading is back past the clear threshold: an alert may resolve.</summary>
    Clear,

    /// <summary>Between threshold and clear threshold (hysteresis): whatever held before still holds.</summary>
    Hold,
}

/// <summary>Evaluates one reading against a rule's condition.</summary>
public static class RuleCondition
{
    /// <param name="baseline">For <c>spike</c>: the median of the site's readings over the preceding baseline window (null: none yet).</param>
    public static Condition Evaluate(AlertRule rule, double? value, string? state, double? baseline = null)
    {
        switch (rule.Operator)
        {
            case RuleOperator.Below when value is { } v && rule.Threshold is { } limit:
                if (v < limit) return Condition.Breach;
                return rule.ClearThreshold is { } raise && v <= raise ? Condition.Hold : Condition.Clear;
            case RuleOperator.Above when value is { } v && rule.Threshold is { } limit:
                if (v > limit) return Condition.Breach;
                return rule.ClearThreshold is { } lower && v >= lower ? Condition.Hold : Condition.Clear;
            case RuleOperator.Spike when value is { } v && rule.Threshold is { } factor:
                // Without a baseline (a series' first readings) there is nothing to spike against.
                if (baseline is not { } median || median <= 0) return Condition.Clear;
                if (v >= factor * median) return Condition.Breach;
                return rule.ClearThreshold is { } clearFactor && v >= clearFactor * median ? Condition.Hold : Condition.Clear;
            case RuleOperator.In when state is not null && rule.States is not null:
                return rule.States.Contains(state, StringComparer.Ordinal) ? Condition.Breach : Condition.Clear;
            default:
                // A no-data-only rule, or a reading of the wrong shape: never a breach.
                return Condition.Clear;
        }
    }

    /// <summary>The median of a window of readings (the spike baseline); null when there are none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
