using System.Security.Cryptography;
using System.Text;

namespace Monitor.Domain.Alerts;

public enum AlertStatus
{
    /// <summary>The condition holds but not yet for the rule's <c>for</c> period.</summary>
    Pending,
    Firing,
    Resolved,
}

/// <summary>Who acknowledged an alert, when, why, and optionally until when (then it notifies again if still firing).</summary>
public sealed record Acknowledgement(string By, DateTimeOffset At, string? Comment, DateTimeOffset? Until);

/// <summary>
/// One episode of one rule at one site. While it is pending or firing it is the (rule, site)'s active alert; a new
/// episode after it resolves is a new alert. Times are the readings' times (and the sweep's, for periods that pass
/// without a reading), so an episode replayed from history gets the same times and the same id.
/// </summary>
/// <param name="NoData">Raised by missing reports rather than by a reading; resolved by the next reading.</param>
/// <param name="Value">The reading that raised the alert or last changed its status (numeric indicators).</param>
/// <param name="State">Likewise, for state indicators.</param>
public sealed record Alert(
    Guid Id,
    string RuleId,
    string SiteId,
    AlertStatus Status,
    bool Flapping,
    bool NoData,
    double? Value,
    string? State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt,
    Acknowledgement? Acknowledgement)
{
    public bool IsActive => Status != AlertStatus.Resolved;

    /// <summary>The same episode always gets the same id, so a replay after a crash cannot raise it twice.</summary>
    public static Guid IdFor(string ruleId, string siteId, DateTimeOffset startedAt, bool noData)
    {
        var key = $"{ruleId}\n{siteId}\n{startedAt.UtcTicks}\n{(noData ? "no-data" : "condition")}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
