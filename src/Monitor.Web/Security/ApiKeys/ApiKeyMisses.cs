using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Monitor.Web.Audit;

namespace Monitor.Web.Security.ApiKeys;

/// <summary>
/// Counts, per client address, the issued-shape keys (<c>mon_…</c>) that did not authenticate: unknown, revoked or
/// expired. Past <see cref="ApiKeyMissesRateLimit.PermitLimit"/> misses in a window the address is refused (429) without
/// a lookup until the window ends, so guessing costs no queries. The audit trail gets the first miss of each window and
/// the moment the address is refused, not a row per attempt.
/// </summary>
/// <remarks>
/// ASP.NET Core's rate limiter counts requests as they enter an endpoint; this must count only failed authentications
/// and refuse before the lookup, inside the authentication handler, so a fixed window is kept here.
/// </remarks>
public sealed class ApiKeyMisses(IOptionsMonitor<RateLimitOptions> options, AuditLog audit, TimeProvider time)
{
    /// <summary>Addresses tracked at most; past this, ended windows are dropped first.</summary>
    private const int MaxTrackedAddresses = 10_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Whether the address has used up its misses; if so, how long until it may try again.</summary>
    public bool IsRefused(string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_windows.TryGetValue(address, out var window)) return false;
        var limit = options.CurrentValue.ApiKeyMisses;
        var now = time.GetUtcNow();
        lock (window)
        {
            if (now >= window.Start + limit.Window || window.Misses < limit.PermitLimit) return false;
            retryAfter = window.Start + limit.Window - now;
            return true;
        }
    }

    /// <summary>Counts one miss of the address; audits the first of a window and the one that reaches the limit.</summary>
    public async Task RecordAsync(string address, string reason, string keyPrefix)
    {
        var limit = options.CurrentValue.ApiKeyMisses;
        var now = time.GetUtcNow();
        if (_windows.Count >= MaxTrackedAddresses) Prune(now, limit.Window);
        var window = _windows.GetOrAdd(address, _ => new Window(now));
        int misses;
        lock (window)
        {
            if (now >= window.Start + limit.Window) (window.Start, window.Misses) = (now, 0);
            misses = ++window.Misses;
        }

        if (misses == 1)
        {
            await audit.RecordAsync(AuditLog.Anonymous, AuditActions.ApiKeyRejected, keyPrefix,
                $"{reason}; further misses from this address within {limit.Window:g} are counted, not recorded", address);
        }
        else if (misses == limit.PermitLimit)
        {
            await audit.RecordAsync(AuditLog.Anonymous, AuditActions.ApiKeyRejected, keyPrefix,
                $"{reason}; {misses} misses within {limit.Window:g}: this address is refused until the window ends", address);
        }
    }

    private void Prune(DateTimeOffset now, TimeSpan length)
    {
        foreach (var (address, window) in _windows)
        {
            if (now >= window.Start + length) _windows.TryRemove(address, out _);
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Misses;
    }
}
