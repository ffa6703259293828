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
public sealed class AlertStore(IDbContextFactory<MonitorDbContext> dbFactory, DatabaseWrites writes, IOptions<JsonOptions> json)
{
    private JsonSerializerOptions Json => json.Value.SerializerOptions;

    /// <summary>
    /// Persists a commit and returns its changes numbered with their sequences, in order. Plain SQL in one immediate
    /// transaction (<see cref="DatabaseWrites"/>): this runs before every push, so its time is part of every alert's latency.
    /// </summary>
    public async Task<IReadOnlyList<AlertView>> CommitAsync(AlertCommit commit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        using var connection = writes.Open();
        using var transaction = connection.BeginTransaction(deferred: false);

        // The sequence comes from the insert, and the stored JSON must carry it: insert, then fill the JSON in.
        var numbered = new List<AlertView>(commit.Changes.Count);
        using (var insert = DatabaseWrites.Command(transaction, "INSERT INTO alert_changes (AlertId, At, Json) VALUES ($alertId, $at, '') RETURNING Sequence"))
        using (var fill = DatabaseWrites.Command(transaction, "UPDATE alert_changes SET Json = $json WHERE Sequence = $sequence"))
        {
            foreach (var change in commit.Changes)
            {
                DatabaseWrites.Bind(insert, ("$alertId", DatabaseWrites.Stored(change.Id)), ("$at", DatabaseWrites.Stored(now)));
                var view = change with { Sequence = (long)insert.ExecuteScalar()! };
                DatabaseWrites.Bind(fill, ("$json", JsonSerializer.Serialize(view, Json)), ("$sequence", view.Sequence));
                fill.ExecuteNonQuery();
                numbered.Add(view);
            }
        }

        using (var upsert = DatabaseWrites.Command(transaction, UpsertAlert))
        {
            foreach (var row in numbered.Select(view => view.ToRow()))
            {
                DatabaseWrites.Bind(upsert, ("$id", DatabaseWrites.Stored(row.Id)), ("$sequence", row.Sequence), ("$ruleId", row.RuleId), ("$ruleName", row.RuleName),
                    ("$siteId", row.SiteId), ("$siteName", row.SiteName), ("$region", row.Region), ("$indicatorId", row.IndicatorId),
                    ("$severity", row.Severity), ("$status", row.Status), ("$flapping", row.Flapping), ("$noData", row.NoData),
                    ("$value", (object?)row.Value ?? DBNull.Value), ("$state", DatabaseWrites.Stored(row.State)), ("$message", row.Message),
                    ("$startedAt", DatabaseWrites.Stored(row.StartedAt)), ("$firedAt", DatabaseWrites.Stored(row.FiredAt)),
                    ("$resolvedAt", DatabaseWrites.Stored(row.ResolvedAt)), ("$acknowledgedBy", DatabaseWrites.Stored(row.AcknowledgedBy)),
                    ("$acknowledgedAt", DatabaseWrites.Stored(row.AcknowledgedAt)), ("$acknowledgedUntil", DatabaseWrites.Stored(row.AcknowledgedUntil)),
                    ("$comment", DatabaseWrites.Stored(row.Comment)), ("$silenced", row.Silenced));
                upsert.ExecuteNonQuery();
            }
        }

        using (var upsert = DatabaseWrites.Command(transaction, UpsertSeries))
        {
            foreach (var series in commit.Series)
            {
                DatabaseWrites.Bind(upsert, ("$ruleId", series.RuleId), ("$siteId", series.SiteId), ("$breaching", series.Breaching),
                    ("$lastReadingAt", DatabaseWrites.Stored(series.LastReadingAt)), ("$flips", ListConversion<DateTimeOffset>.Converter.ConvertToProvider(series.Flips)!));
                upsert.ExecuteNonQuery();
            }
        }
        using (var forget = DatabaseWrites.Command(transaction, "DELETE FROM alert_series WHERE RuleId = $ruleId AND SiteId = $siteId"))
        {
            foreach (var (ruleId, siteId) in commit.ForgottenSeries)
            {
                DatabaseWrites.Bind(forget, ("$ruleId", ruleId), ("$siteId", siteId));
                forget.ExecuteNonQuery();
            }
        }
        using (var end = DatabaseWrites.Command(transaction, "UPDATE silences SET EndedAt = $endedAt WHERE Id = $id AND EndedAt IS NULL"))
        {
            foreach (var (id, endedAt) in commit.EndedSilences)
            {
                DatabaseWrites.Bind(end, ("$id", DatabaseWrites.Stored(id)), ("$endedAt", DatabaseWrites.Stored(endedAt)));
                end.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return numbered;
    }

    private const string UpsertAlert =
        "INSERT INTO alerts (Id, Sequence, RuleId, RuleName, SiteId, SiteName, Region, IndicatorId, Severity, Status, Flapping, NoData, Value, " +
        "State, Message, StartedAt, FiredAt, ResolvedAt, AcknowledgedBy, AcknowledgedAt, AcknowledgedUntil, Comment, Silenced) " +
        "VALUES ($id, $sequence, $ruleId, $ruleName, $siteId, $siteName, $region, $indicatorId, $severity, $status, $flapping, $noData, $value, " +
        "$state, $message, $startedAt, $firedAt, $resolvedAt, $acknowledgedBy, $acknowledgedAt, $acknowledgedUntil, $comment, $silenced) " +
        "ON CONFLICT (Id) DO UPDATE SET Sequence = excluded.Sequence, RuleId = excluded.RuleId, RuleName = excluded.RuleName, " +
        "SiteId = excluded.SiteId, SiteName = excluded.SiteName, Region = excluded.Region, IndicatorId = excluded.IndicatorId, " +
        "Severity = excluded.Severity, Status = excluded.Status, Flapping = excluded.Flapping, NoData = excluded.NoData, Value = excluded.Value, " +
        "State = excluded.State, Message = excluded.Message, StartedAt = excluded.StartedAt, FiredAt = excluded.FiredAt, " +
        "ResolvedAt = excluded.ResolvedAt, AcknowledgedBy = excluded.AcknowledgedBy, AcknowledgedAt = excluded.AcknowledgedAt, " +
        "AcknowledgedUntil = excluded.AcknowledgedUntil, Comment = excluded.Comment, Silenced = excluded.Silenced";

    private const string UpsertSeries =
        "INSERT INTO alert_series (RuleId, SiteId, Breaching, LastReadingAt, Flips) VALUES ($ruleId, $siteId, $breaching, $lastReadingAt, $flips) " +
        "ON CONFLICT (RuleId, SiteId) DO UPDATE SET Breaching = excluded.Breaching, LastReadingAt = excluded.LastReadingAt, Flips = excluded.Flips";

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
