using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Monitor.Web.Data;
using Monitor.Web.Security;

namespace Monitor.Web.Audit;

/// <summary>What an audit page or export asks for; every filter is optional.</summary>
public sealed record AuditQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Actor = null,
    string? Action = null,
    string? Text = null,
    int Skip = 0,
    int Take = 100);

public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Target, string? Details, string? RemoteIp);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total);

/// <summary>
/// The one way features record who did what. Entries are only ever added: the app has no code path that edits or
/// deletes them, the database refuses both, and each entry is chained to the one before by its hash.
/// </summary>
/// <remarks>
/// Writes are group-committed: one writer takes every entry queued meanwhile and chains and inserts them in one
/// transaction, so two hundred submissions a second cost a few transactions instead of two hundred that queue for
/// SQLite's write lock. A caller still returns only once its entry is on disk.
/// </remarks>
public sealed class AuditLog(IDbContextFactory<MonitorDbContext> dbFactory, DatabaseWrites writes, TimeProvider time) : IAsyncDisposable
{
    public const string System = "system";

    public const string Anonymous = "anonymous";

    /// <summary>At most this many entries share one transaction.</summary>
    private const int MaxGroup = 500;

    private readonly Channel<QueuedEntry> _queue = Channel.CreateUnbounded<QueuedEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _writer;

    /// <summary>
    /// The name an audit entry uses for a principal: a user's email; <c>key:ID (NAME)</c> for a key issued in the app (a
    /// revoked key and a new one of the same name differ), <c>key:NAME</c> for one configured by name.
    /// </summary>
    public static string ActorOf(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true } identity) return Anonymous;
        var name = identity.Name ?? principal.FindFirstValue(ClaimTypes.Email) ?? "unknown";
        if (!principal.HasClaim(ApiKeyAuthenticationHandler.AuthMethodClaim, "api_key")) return name;
        return principal.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } id ? $"key:{id} ({name})" : "key:" + name;
    }

    public Task RecordAsync(ClaimsPrincipal? actor, string action, string? target, string? details, string? remoteIp,
        CancellationToken cancellationToken = default) =>
        RecordAsync(ActorOf(actor), action, target, details, remoteIp, cancellationToken);

    /// <summary>Records an entry and returns once it is committed. A caller that stops waiting does not withdraw it.</summary>
    public async Task RecordAsync(string actor, string action, string? target, string? details, string? remoteIp,
        CancellationToken cancellationToken = default)
    {
        var entry = new QueuedEntry(new AuditRow
        {
            At = StoredPrecision(time.GetUtcNow()), Actor = actor, Action = action, Target = target, Details = details, RemoteIp = remoteIp,
        });
        if (!_queue.Writer.TryWrite(entry)) throw new ObjectDisposedException(nameof(AuditLog));
        if (Volatile.Read(ref _writer) is null)
        {
            lock (_starting) _writer ??= Task.Run(WriteQueuedAsync);
        }
        await entry.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Lets the queued entries reach the disk before the app stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _writer) is { } writer) await writer;
    }

    private async Task WriteQueuedAsync()
    {
        var group = new List<QueuedEntry>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var entry)) group.Add(entry);
            if (!await TryInsertAsync(group) && group.Count > 1)
            {
                // One entry's failure must not fail the others: each goes again on its own.
                foreach (var entry in group) await TryInsertAsync([entry]);
            }
            group.Clear();
        }
    }

    /// <summary>
    /// Chains the entries on to the last one (<see cref="AuditChain"/>) and inserts them, in one transaction that SQLite
    /// opens for writing at once (<c>BEGIN IMMEDIATE</c>): another writer — another process on the same file included —
    /// waits instead of chaining onto the same entry. Plain SQL rather than Entity Framework: this runs for every
    /// accepted batch (<see cref="DatabaseWrites"/>).
    /// </summary>
    private async Task<bool> TryInsertAsync(IReadOnlyList<QueuedEntry> group)
    {
        try
        {
            using var turn = await writes.EnterAsync();
            using var connection = writes.Open();
            using var transaction = connection.BeginTransaction(deferred: false);

            using var last = DatabaseWrites.Command(transaction, "SELECT Id, Hash FROM audit_entries ORDER BY Id DESC LIMIT 1");
            var (id, hash) = (0L, "");
            using (var reader = last.ExecuteReader())
            {
                if (reader.Read()) (id, hash) = (reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
            }

            using var insert = DatabaseWrites.Command(transaction, "INSERT INTO audit_entries (Id, At, Actor, Action, Target, Details, RemoteIp, Hash) " +
                "VALUES ($id, $at, $actor, $action, $target, $details, $remoteIp, $hash)");
            foreach (var row in group.Select(e => e.Row))
            {
                row.Id = ++id;
                row.Hash = hash = AuditChain.Hash(hash, row);
                DatabaseWrites.Bind(insert, ("$id", row.Id), ("$at", DatabaseWrites.Stored(row.At)), ("$actor", row.Actor), ("$action", row.Action),
                    ("$target", DatabaseWrites.Stored(row.Target)), ("$details", DatabaseWrites.Stored(row.Details)),
                    ("$remoteIp", DatabaseWrites.Stored(row.RemoteIp)), ("$hash", row.Hash)).ExecuteNonQuery();
            }
            transaction.Commit();
            foreach (var entry in group) entry.Committed.TrySetResult();
            return true;
        }
        catch (Exception ex)
        {
            if (group.Count == 1) group[0].Committed.TrySetException(ex);
            return false;
        }
    }

    /// <summary>
    /// The time as the database keeps it (EF's binary form holds 1/10,000 s); the hash is of what is stored, so that
    /// reading an entry back gives the same hash.
    /// </summary>
    private static DateTimeOffset StoredPrecision(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>Checks the whole chain of entries; the answer names the first broken link.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await AuditChain.VerifyAsync(db, cancellationToken);
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = Filter(db, query);
        var total = await rows.CountAsync(cancellationToken);
        var entries = await rows.OrderByDescending(a => a.Id).Skip(query.Skip).Take(query.Take).ToListAsync(cancellationToken);
        return new AuditPage(entries.Select(ToEntry).ToArray(), total);
    }

    /// <summary>Every matching entry, newest first, streamed (for CSV export).</summary>
    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in Filter(db, query).OrderByDescending(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return ToEntry(row);
        }
    }

    private static IQueryable<AuditRow> Filter(MonitorDbContext db, AuditQuery query)
    {
        var rows = db.AuditEntries.AsNoTracking();
        if (query.From is { } from) rows = rows.Where(a => a.At >= from);
        if (query.To is { } to) rows = rows.Where(a => a.At <= to);
        if (!string.IsNullOrWhiteSpace(query.Actor)) rows = rows.Where(a => a.Actor == query.Actor);
        if (!string.IsNullOrWhiteSpace(query.Action)) rows = rows.Where(a => a.Action == query.Action);
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text;
            rows = rows.Where(a => a.Actor.Contains(text) || (a.Target != null && a.Target.Contains(text)) || (a.Details != null && a.Details.Contains(text)));
        }
        return rows;
    }

    private sealed record QueuedEntry(AuditRow Row)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static AuditEntry ToEntry(AuditRow row) => new(row.Id, row.At, row.Actor, row.Action, row.Target, row.Details, row.RemoteIp);
}
