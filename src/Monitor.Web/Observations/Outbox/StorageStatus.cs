using Microsoft.Extensions.Options;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// What the drain knows about InfluxDB and the backlog, for the health check and the banner every page shows while
/// something is impaired. Changes are announced through <see cref="Changed"/>.
/// </summary>
public sealed class StorageStatus(PendingChanges pending, IOptions<StorageOptions> storage, IOptions<OutboxOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _unreachableSince;
    private string? _lastError;

    /// <summary>Raised (on the drain's thread) when reachability or the backlog changes.</summary>
    public event Action? Changed;

    public bool Queues => storage.Value.Provider == StorageProvider.InfluxDB;

    public StorageSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                var oldest = pending.OldestRecordedAt;
                var age = oldest is { } o ? time.GetUtcNow() - o : (TimeSpan?)null;
                return new StorageSnapshot(_unreachableSince, _lastError, pending.Count, age, options.Value.MaxBacklog, options.Value.MaxAge,
                    options.Value.LagWarning);
            }
        }
    }

    public void Reachable()
    {
        lock (_gate)
        {
            if (_unreachableSince is null) return;
            _unreachableSince = null;
            _lastError = null;
        }
        Changed?.Invoke();
    }

    public void Unreachable(string reason)
    {
        lock (_gate)
        {
            _lastError = reason;
            if (_unreachableSince is not null) return;
            _unreachableSince = time.GetUtcNow();
        }
        Changed?.Invoke();
    }

    /// <summary>The backlog grew or shrank.</summary>
    public void BacklogChanged() => Changed?.Invoke();
}

/// <summary>The state of the write path at one moment.</summary>
public sealed record StorageSnapshot(
    DateTimeOffset? UnreachableSince,
    string? LastError,
    int Backlog,
    TimeSpan? BacklogAge,
    int MaxBacklog,
    TimeSpan MaxAge,
    TimeSpan LagWarning)
{
    /// <summary>Writes are refused: the queue is full or its oldest batch too old.</summary>
    public bool IsFull => Backlog >= MaxBacklog || BacklogAge >= MaxAge;

    /// <summary>Serving, but InfluxDB does not answer or the queue lags behind.</summary>
    public bool IsDegraded => UnreachableSince is not null || BacklogAge >= LagWarning;

    /// <summary>Whether <paramref name="additional"/> more observations fit.</summary>
    public bool Accepts(int additional) => Backlog + additional <= MaxBacklog && !(BacklogAge >= MaxAge);
}
