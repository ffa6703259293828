using Monitor.Domain.Catalog;

namespace Monitor.Domain.Observations;

public enum PlausibilityConcern
{
    /// <summary>The value is at least <see cref="Plausibility.JumpFactor"/> times the site's last one (a price typed with an extra zero).</summary>
    Jump,

    /// <summary>A percentage fell from near full to near empty within an hour (a typo more often than a collapse).</summary>
    Collapse,

    /// <summary>The reading is older than the site's latest one of that indicator: it will not show as the latest.</summary>
    OlderThanLatest,
}

/// <summary>A reason to ask the reporter to look again; it never blocks a submission.</summary>
public sealed record PlausibilityWarning(PlausibilityConcern Concern, Observation Latest);

/// <summary>
/// Soft checks of a reading against the site's latest one of the same indicator. They catch the slips a form makes
/// easy (a zero too many, a digit dropped, a backdated time) and leave the decision to the reporter, who confirms.
/// </summary>
public static class Plausibility
{
    public const double JumpFactor = 5;
    public const double CollapseFrom = 90;
    public const double CollapseTo = 5;
    public static readonly TimeSpan CollapseWindow = TimeSpan.FromHours(1);

    public static IReadOnlyList<PlausibilityWarning> Check(
        IndicatorDefinition indicator, double? value, DateTimeOffset timestamp, Observation? latest)
    {
        if (latest is null) return [];
        var warnings = new List<PlausibilityWarning>(2);
        if (timestamp < latest.Timestamp) warnings.Add(new(PlausibilityConcern.OlderThanLatest, latest));
        if (indicator.Kind != IndicatorKind.Numeric || value is not { } now || latest.Value is not { } before) return warnings;

        if (before > 0 && now >= before * JumpFactor) warnings.Add(new(PlausibilityConcern.Jump, latest));
        if (indicator.Unit == "%" && before >= CollapseFrom && now <= CollapseTo
            && timestamp >= latest.Timestamp && timestamp - latest.Timestamp <= CollapseWindow)
        {
            warnings.Add(new(PlausibilityConcern.Collapse, latest));
        }
        return warnings;
    }
}
