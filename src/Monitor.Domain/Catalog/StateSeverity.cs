namespace Monitor.Domain.Catalog;

/// <summary>
/// How bad a state is: an indicator lists its states from normal to worst, so a state's severity is its position in
/// that list (names compared without regard to case).
/// </summary>
public static class StateSeverity
{
    /// <summary>0 for the normal state up to <c>States.Count - 1</c> for the worst; -1 for a state the indicator does not list.</summary>
    public static int RankOf(IndicatorDefinition indicator, string? state)
    {
        if (state is null) return -1;
        for (var i = 0; i < indicator.States.Count; i++)
        {
            if (string.Equals(indicator.States[i], state, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>The states from normal to worst; those the indicator does not list come last, in ordinal order.</summary>
    public static IReadOnlyList<string> Order(IndicatorDefinition indicator, IEnumerable<string> states) =>
        [.. states.OrderBy(s => RankOf(indicator, s) is var rank and >= 0 ? rank : int.MaxValue).ThenBy(s => s, StringComparer.Ordinal)];
}
