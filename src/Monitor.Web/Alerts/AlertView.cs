using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;

namespace Monitor.Web.Alerts;

/// <summary>
/// An alert as the API returns it and the hub pushes it (<c>AlertChanged</c>): the alert with its rule's name and
/// severity, its site's name and region, and the global <see cref="Sequence"/> of the change that made it so.
/// </summary>
public sealed record AlertView(
    Guid Id,
    long Sequence,
    string RuleId,
    string RuleName,
    string SiteId,
    string SiteName,
    string Region,
    string IndicatorId,
    Severity Severity,
    AlertStatus Status,
    bool Flapping,
    bool NoData,
    double? Value,
    string? State,
    string Message,
    DateTimeOffset StartedAt,
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? AcknowledgedUntil,
    string? Comment,
    bool Silenced)
{
    public bool IsActive => Status != AlertStatus.Resolved;

    public static AlertView Of(Alert alert, AlertRule rule, Site site, IndicatorDefinition indicator, bool silenced, long sequence) => new(
        alert.Id, sequence, rule.Id, rule.Name, site.Id, site.Name, site.Region, indicator.Id, rule.Severity, alert.Status,
        alert.Flapping, alert.NoData, alert.Value, alert.State, AlertMessage.Describe(alert, rule, site, indicator),
        alert.StartedAt, alert.FiredAt, alert.ResolvedAt, alert.Acknowledgement?.By, alert.Acknowledgement?.At,
        alert.Acknowledgement?.Until, alert.Acknowledgement?.Comment, silenced);

    /// <summary>The domain alert this view shows (to resume the lifecycle after a restart).</summary>
    public Alert ToAlert() => new(
        Id, RuleId, SiteId, Status, Flapping, NoData, Value, State, StartedAt, FiredAt, ResolvedAt,
        AcknowledgedBy is null ? null : new Acknowledgement(AcknowledgedBy, AcknowledgedAt ?? StartedAt, Comment, AcknowledgedUntil));

    public AlertRow ToRow() => new()
    {
        Id = Id, Sequence = Sequence, RuleId = RuleId, RuleName = RuleName, SiteId = SiteId, SiteName = SiteName, Region = Region,
        IndicatorId = IndicatorId, Severity = Names.Of(Severity), Status = Names.Of(Status), Flapping = Flapping, NoData = NoData,
        Value = Value, State = State, Message = Message, StartedAt = StartedAt, FiredAt = FiredAt, ResolvedAt = ResolvedAt,
        AcknowledgedBy = AcknowledgedBy, AcknowledgedAt = AcknowledgedAt, AcknowledgedUntil = AcknowledgedUntil, Comment = Comment,
        Silenced = Silenced,
    };

    public static AlertView FromRow(AlertRow row) => new(
        row.Id, row.Sequence, row.RuleId, row.RuleName, row.SiteId, row.SiteName, row.Region, row.IndicatorId,
        Names.Parse<Severity>(row.Severity), Names.Parse<AlertStatus>(row.Status), row.Flapping, row.NoData, row.Value, row.State,
        row.Message, row.StartedAt, row.FiredAt, row.ResolvedAt, row.AcknowledgedBy, row.AcknowledgedAt, row.AcknowledgedUntil,
        row.Comment, row.Silenced);
}

/// <summary>Enum values as the API writes them: lower case.</summary>
internal static class Names
{
    public static string Of<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T Parse<T>(string name) where T : struct, Enum => Enum.Parse<T>(name, ignoreCase: true);
}
