using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Monitor.Web.Data;

namespace Monitor.Web.Security.ApiKeys;

/// <summary>What authentication needs to know about an issued key.</summary>
public sealed record StoredApiKey(Guid Id, string Name, Role Role, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Finds issued keys by the hash of the presented secret. Found keys are remembered briefly, so a client sending many
/// requests does not cost a query each; revoking a key forgets it at once. Records when a key was last used, at most
/// once per <see cref="LastUsedResolution"/>, so a busy key does not write on every request.
/// </summary>
public sealed class ApiKeyLookup(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public async Task<StoredApiKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(secret);
        var cacheKey = Convert.ToHexString(hash);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(cacheKey, out var cached) && now - cached.LoadedAt < CacheLifetime) return cached.Key;

        // A revocation that lands while this query runs must not be overwritten by what the query read before it.
        var generation = Interlocked.Read(ref _generation);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (row is null || !Enum.TryParse<Role>(row.Role, ignoreCase: true, out var role))
        {
            _entries.TryRemove(cacheKey, out _);
            return null;
        }

        var entry = new Entry(new StoredApiKey(row.Id, row.Name, role, row.ExpiresAt, row.RevokedAt), now, row.LastUsedAt?.UtcTicks ?? 0);
        if (Interlocked.Read(ref _generation) == generation) _entries[cacheKey] = entry;
        return entry.Key;
    }

    /// <summary>Stamps the key as used now, unless that was already done within <see cref="LastUsedResolution"/>.</summary>
    public async Task RecordUseAsync(StoredApiKey key, string secret, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetValueOrDefault(Convert.ToHexString(ApiKeySecrets.Hash(secret)));
        if (entry is not null)
        {
            var last = Interlocked.Read(ref entry.LastUsedTicks);
            if (now.UtcTicks - last < LastUsedResolution.Ticks) return;
            // Of the requests racing past the check, one writes.
            if (Interlocked.CompareExchange(ref entry.LastUsedTicks, now.UtcTicks, last) != last) return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ApiKeys.Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
    }

    /// <summary>Forgets every remembered key, so the next request reads the database (after a revocation).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private sealed class Entry(StoredApiKey key, DateTimeOffset loadedAt, long lastUsedTicks)
    {
        public StoredApiKey Key { get; } = key;
        public DateTimeOffset LoadedAt { get; } = loadedAt;
        public long LastUsedTicks = lastUsedTicks;
    }
}
