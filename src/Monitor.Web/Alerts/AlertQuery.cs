using Monitor.Domain.Alerts;

namespace Monitor.Web.Alerts;

/// <summary>Which episodes the alert center's history shows.</summary>
public enum AlertHistoryStatus
{
    All,
    Active,
    Resolved,
}

/// <summary>
/// A filter on alert episodes: each part narrows, none given means no narrowing. <see cref="From"/> and <see cref="To"/>
/// keep the episodes that overlap the range (started before its end, and not resolved before its start).
/// </summary>
public sealed record AlertQuery(
    AlertHistoryStatus Status = AlertHistoryStatus.All,
    Severity? Severity = null,
    string? Region = null,
    string? SiteId = null,
    string? RuleId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 200);

/// <summary>One change in an alert's timeline: the alert as it was pushed, and when the change was recorded.</summary>
public sealed record AlertChange(DateTimeOffset RecordedAt, AlertView Alert);
