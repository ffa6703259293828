namespace Monitor.Domain.Alerts;

/// <summary>
/// Mutes the alerts of a scope — a rule, a site, a region, or a combination (all given parts must match) — until
/// <see cref="EndsAt"/>, or, without an end, until no alert it covers is active any more. Muted alerts are still
/// recorded and listed, just not pushed.
/// </summary>
public sealed record Silence(
    Guid Id,
    string? RuleId,
    string? SiteId,
    string? Region,
    DateTimeOffset? EndsAt,
    string Reason,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public const int MaxReasonLength = 1_000;

    public bool UntilResolved => EndsAt is null;

    public bool Covers(string ruleId, string siteId, string region) =>
        (RuleId is null || RuleId == ruleId)
        && (SiteId is null || SiteId == siteId)
        && (Region is null || string.Equals(Region, region, StringComparison.OrdinalIgnoreCase));

    public bool HasEnded(DateTimeOffset now) => EndsAt is { } end && end <= now;
}
