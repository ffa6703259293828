using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Web.Data;

namespace Monitor.Web.Alerts;

/// <summary>What one evaluation changed: alerts (in order), the (rule, site) states to keep, silences that ended.</summary>
public sealed record AlertCommit(
    IReadOnlyList<AlertView> Changes,
    IReadOnlyList<AlertSeriesRow> Series,
    IReadOnlyList<(string RuleId, string SiteId)> ForgottenSeries,
    IReadOnlyList<(Guid Id, DateTimeOffset EndedAt)> EndedSilences);

/// <summary>
/// Alerting's part of the embedded database. Every change is written in one transaction with the global alert
/// sequence (an AUTOINCREMENT key, so it only grows), the alert's current row, and the lifecycle state a restart needs.
/// </summary>
public sealed class AlertStore(IDbContextFactory<MonitorDbContext> dbFactory, DatabaseWriteGate writes, IOptions<JsonOptions> json)
{
    private JsonSerializerOptions Json => json.Value.SerializerOptions;

    /// <summary>Persists a commit and returns its changes numbered with their sequences, in order.</summary>
    public async Task<IReadOnlyList<AlertView>> CommitAsync(AlertCommit commit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The sequence comes from the insert, and the pushed JSON must carry it: insert every change in one round
        // (added in order, so numbered in order), then fill the JSON in.
        var rows = commit.Changes.Select(change => new AlertChangeRow { AlertId = change.Id, At = now, Json = "" }).ToArray();
        db.AlertChanges.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        var numbered = new List<AlertView>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var view = commit.Changes[i] with { Sequence = rows[i].Sequence };
            rows[i].Json = JsonSerializer.Serialize(view, Json);
            numbered.Add(view);
        }

        var ids = numbered.Select(v => v.Id).Distinct().ToArray();
        var existing = await db.Alerts.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        foreach (var view in numbered)
        {
            var row = view.ToRow();
            if (existing.TryGetValue(view.Id, out var known)) db.Entry(known).CurrentValues.SetValues(row);
            else db.Alerts.Add(existing[view.Id] = row);
        }

        var rules = commit.Series.Select(s => s.RuleId).Distinct().ToArray();
        var sites = commit.Series.Select(s => s.SiteId).Distinct().ToArray();
        var stored = (await db.AlertSeries.Where(s => rules.Contains(s.RuleId) && sites.Contains(s.SiteId)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.RuleId, s.SiteId));
        foreach (var series in commit.Series)
        {
            if (stored.TryGetValue((series.RuleId, series.SiteId), out var known)) db.Entry(known).CurrentValues.SetValues(series);
            else db.AlertSeries.Add(series);
        }
        foreach (var (ruleId, siteId) in commit.ForgottenSeries)
        {
            await db.AlertSeries.Where(s => s.RuleId == ruleId && s.SiteId == siteId).ExecuteDeleteAsync(cancellationToken);
        }
        foreach (var (id, endedAt) in commit.EndedSilences)
        {
            await db.Silences.Where(s => s.Id == id && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, endedAt), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return numbered;
    }

    public async Task<(IReadOnlyList<AlertView> Active, IReadOnlyList<AlertSeriesRow> Series, IReadOnlyList<Silence> Silences)> LoadStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resolved = Names.Of(AlertStatus.Resolved);
        var active = await db.Alerts.AsNoTracking().Where(a => a.Status != resolved).ToListAsync(cancellationToken);
        var series = await db.AlertSeries.AsNoTracking().ToListAsync(cancellationToken);
        var silences = await db.Silences.AsNoTracking().Where(s => s.EndedAt == null).ToListAsync(cancellationToken);
        return (active.Select(AlertView.FromRow).ToArray(), series, silences.Select(ToSilence).ToArray());
    }

    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AlertChanges.MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
    }

    /// <summary>Alerts, newest episode first; active only, or all with an optional start bound.</summary>
    public async Task<IReadOnlyList<AlertView>> ListAsync(bool activeOnly, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resolved = Names.Of(AlertStatus.Resolved);
        var query = db.Alerts.AsNoTracking();
        if (activeOnly) query = query.Where(a => a.Status != resolved);
        var rows = await query.OrderByDescending(a => a.Sequence).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(AlertView.FromRow).ToArray();
    }

    /// <summary>
    /// The episodes (active and past) of one indicator at these sites that overlap <paramref name="from"/>–<paramref name="to"/>,
    /// oldest first: what a chart shades over its range.
    /// </summary>
    public async Task<IReadOnlyList<AlertView>> EpisodesAsync(
        IReadOnlyCollection<string> siteIds, string indicatorId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sites = siteIds.ToArray();
        var rows = await db.Alerts.AsNoTracking()
            .Where(a => a.IndicatorId == indicatorId && sites.Contains(a.SiteId) && a.StartedAt <= to && (a.ResolvedAt == null || a.ResolvedAt >= from))
            .OrderBy(a => a.StartedAt).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(AlertView.FromRow).ToArray();
    }

    public async Task<AlertView?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return row is null ? null : AlertView.FromRow(row);
    }

    /// <summary>Every change of one alert, oldest first, each as it was pushed.</summary>
    public async Task<IReadOnlyList<AlertView>> HistoryAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AlertChanges.AsNoTracking().Where(c => c.AlertId == id).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        return rows.Select(Read).ToArray();
    }

    /// <summary>Alerts that pass <paramref name="query"/>, newest episode first, at most its limit.</summary>
    public async Task<IReadOnlyList<AlertView>> QueryAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resolved = Names.Of(AlertStatus.Resolved);
        var rows = db.Alerts.AsNoTracking();
        rows = query.Status switch
        {
            AlertHistoryStatus.Active => rows.Where(a => a.Status != resolved),
            AlertHistoryStatus.Resolved => rows.Where(a => a.Status == resolved),
            _ => rows,
        };
        if (query.Severity is { } severity)
        {
            var name = Names.Of(severity);
            rows = rows.Where(a => a.Severity == name);
        }
        if (query.Region is { } region) rows = rows.Where(a => a.Region == region);
        if (query.SiteId is { } siteId) rows = rows.Where(a => a.SiteId == siteId);
        if (query.RuleId is { } ruleId) rows = rows.Where(a => a.RuleId == ruleId);
        if (query.To is { } to) rows = rows.Where(a => a.StartedAt < to);
        if (query.From is { } from) rows = rows.Where(a => a.ResolvedAt == null || a.ResolvedAt >= from);
        var found = await rows.OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Sequence)
            .Take(Math.Clamp(query.Limit, 1, 10_000)).ToListAsync(cancellationToken);
        return found.Select(AlertView.FromRow).ToArray();
    }

    /// <summary>Every change of one alert with the time it was recorded, oldest first.</summary>
    public async Task<IReadOnlyList<AlertChange>> TimelineAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AlertChanges.AsNoTracking().Where(c => c.AlertId == id).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        return rows.Select(row => new AlertChange(row.At, Read(row))).ToArray();
    }

    /// <summary>The changes after <paramref name="sequence"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AlertView>> ChangesAfterAsync(long sequence, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AlertChanges.AsNoTracking().Where(c => c.Sequence > sequence).OrderBy(c => c.Sequence).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(Read).ToArray();
    }

    public async Task<IReadOnlyList<Silence>> SilencesAsync(bool inForceOnly, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Silences.AsNoTracking();
        if (inForceOnly) query = query.Where(s => s.EndedAt == null);
        var rows = await query.OrderByDescending(s => s.CreatedAt).Take(1_000).ToListAsync(cancellationToken);
        return rows.Select(ToSilence).ToArray();
    }

    public async Task AddSilenceAsync(Silence silence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Silences.Add(new SilenceRow
        {
            Id = silence.Id, RuleId = silence.RuleId, SiteId = silence.SiteId, Region = silence.Region, EndsAt = silence.EndsAt,
            Reason = silence.Reason, CreatedBy = silence.CreatedBy, CreatedAt = silence.CreatedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private AlertView Read(AlertChangeRow row) => JsonSerializer.Deserialize<AlertView>(row.Json, Json)!;

    private static Silence ToSilence(SilenceRow row) =>
        new(row.Id, row.RuleId, row.SiteId, row.Region, row.EndsAt, row.Reason, row.CreatedBy, row.CreatedAt);
}
