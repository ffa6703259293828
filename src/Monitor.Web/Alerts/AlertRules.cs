using Microsoft.EntityFrameworkCore;
using Monitor.Domain.Alerts;
using Monitor.Web.Data;

namespace Monitor.Web.Alerts;

/// <summary>The rules, stored in the embedded database and served from memory (read on every evaluation).</summary>
public sealed class AlertRules(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    private IReadOnlyList<AlertRule> _current = [];

    /// <summary>Every rule, enabled or not, by name.</summary>
    public IReadOnlyList<AlertRule> Current => Volatile.Read(ref _current);

    public AlertRule? Find(string id) => Current.FirstOrDefault(r => r.Id == id);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AlertRules.AsNoTracking().ToListAsync(cancellationToken);
        Volatile.Write(ref _current, rows.Select(ToDomain).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToArray());
    }

    /// <summary>Adds the rule, or replaces the one with its id.</summary>
    public async Task SaveAsync(AlertRule rule, string by, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = ToRow(rule, by, time.GetUtcNow());
        var known = await db.AlertRules.FindAsync([rule.Id], cancellationToken);
        if (known is null) db.AlertRules.Add(row);
        else db.Entry(known).CurrentValues.SetValues(row);
        await db.SaveChangesAsync(cancellationToken);
        await ReloadAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.AlertRules.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        await ReloadAsync(cancellationToken);
        return deleted;
    }

    public static AlertRule ToDomain(AlertRuleRow row) => new(
        row.Id, row.Name, row.IndicatorId, row.SiteId, row.Region,
        row.Operator is null ? null : Names.Parse<RuleOperator>(row.Operator), row.Threshold, row.ClearThreshold,
        row.States.Count == 0 ? null : row.States, row.BaselineWindow, row.For, row.StaleAfter, Names.Parse<Severity>(row.Severity),
        row.Enabled);

    public static AlertRuleRow ToRow(AlertRule rule, string by, DateTimeOffset at) => new()
    {
        Id = rule.Id, Name = rule.Name, IndicatorId = rule.IndicatorId, SiteId = rule.SiteId, Region = rule.Region,
        Operator = rule.Operator is { } op ? Names.Of(op) : null, Threshold = rule.Threshold, ClearThreshold = rule.ClearThreshold,
        States = [.. rule.States ?? []], BaselineWindow = rule.BaselineWindow, For = rule.For, StaleAfter = rule.StaleAfter,
        Severity = Names.Of(rule.Severity), Enabled = rule.Enabled, UpdatedAt = at, UpdatedBy = by,
    };
}
