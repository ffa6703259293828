namespace Monitor.Web.Alerts;

/// <summary>A rule as stored; enums as their lower-case names.</summary>
public sealed class AlertRuleRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string IndicatorId { get; set; }
    public string? SiteId { get; set; }
    public string? Region { get; set; }
    public string? Operator { get; set; }
    public double? Threshold { get; set; }
    public double? ClearThreshold { get; set; }
    public List<string> States { get; set; } = [];
    public TimeSpan? BaselineWindow { get; set; }
    public TimeSpan? For { get; set; }
    public TimeSpan? StaleAfter { get; set; }
    public required string Severity { get; set; }
    public bool Enabled { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>An alert as it was last changed: the columns of <see cref="AlertView"/>.</summary>
public sealed class AlertRow
{
    public Guid Id { get; set; }
    public long Sequence { get; set; }
    public required string RuleId { get; set; }
    public required string RuleName { get; set; }
    public required string SiteId { get; set; }
    public required string SiteName { get; set; }
    public required string Region { get; set; }
    public required string IndicatorId { get; set; }
    public required string Severity { get; set; }
    public required string Status { get; set; }
    public bool Flapping { get; set; }
    public bool NoData { get; set; }
    public double? Value { get; set; }
    public string? State { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? AcknowledgedUntil { get; set; }
    public string? Comment { get; set; }
    public bool Silenced { get; set; }
}

/// <summary>One change of one alert, numbered by the global alert sequence: the alert object exactly as it was pushed.</summary>
public sealed class AlertChangeRow
{
    public long Sequence { get; set; }
    public Guid AlertId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Json { get; set; }
}

/// <summary>
/// What the lifecycle needs to survive a restart for one (rule, site) beyond its active alert: the condition at the last
/// reading and the recent flips. The last reading itself is read back from the observation store.
/// </summary>
public sealed class AlertSeriesRow
{
    public required string RuleId { get; set; }
    public required string SiteId { get; set; }
    public bool Breaching { get; set; }
    public DateTimeOffset? LastReadingAt { get; set; }
    public List<DateTimeOffset> Flips { get; set; } = [];
}

public sealed class SilenceRow
{
    public Guid Id { get; set; }
    public string? RuleId { get; set; }
    public string? SiteId { get; set; }
    public string? Region { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it stopped muting (its end passed, its alerts resolved, or it was deleted); null while in force.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}
