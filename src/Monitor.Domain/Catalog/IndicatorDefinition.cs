namespace Monitor.Domain.Catalog;

public enum IndicatorKind
{
    Numeric,
    State,
}

/// <summary>
/// What can be observed at a site. Numeric indicators have a unit and a valid range; state indicators a
/// closed list of states, ordered from normal to worst (the order drives colours and severity).
/// </summary>
public sealed record IndicatorDefinition(
    string Id,
    string Name,
    IndicatorKind Kind,
    string? Unit,
    double? Min,
    double? Max,
    IReadOnlyList<string> States,
    IReadOnlyList<string> SiteKinds,
    TimeSpan Cadence)
{
    public bool AppliesTo(Site site) => SiteKinds.Contains(site.Kind, StringComparer.Ordinal);
}
