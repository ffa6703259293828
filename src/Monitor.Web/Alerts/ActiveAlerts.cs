using Monitor.Domain.Alerts;

namespace Monitor.Web.Alerts;

/// <summary>
/// The alerts active right now (pending or firing, silenced ones included), kept in memory for pages: tiles colour by
/// them, the app bar counts them. Filled from the database once, then kept current by every pushed change.
/// </summary>
public sealed class ActiveAlerts : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private readonly Dictionary<Guid, AlertView> _active = [];

    /// <summary>
    /// While the start-up read runs, the last sequence pushed per alert, so that a stale read cannot bring back a resolved
    /// alert. Pushes arrive in sequence order, so once the read is in this is let go.
    /// </summary>
    private Dictionary<Guid, long>? _seenWhileLoading = [];

    private Action[] _listeners = [];

    public ActiveAlerts(AlertPush push, AlertStore store)
    {
        // Subscribe before reading, so a change committed meanwhile is not lost; the sequence sorts out the overlap.
        _subscription = push.Subscribe(Apply);
        Loaded = LoadAsync(store);
    }

    /// <summary>Completes once the alerts active at start have been read.</summary>
    public Task Loaded { get; }

    public IReadOnlyCollection<AlertView> Current
    {
        get
        {
            lock (_gate) return _active.Values.ToArray();
        }
    }

    /// <summary>The worst active, unsilenced alert at this site for this indicator, or null.</summary>
    public AlertView? WorstFor(string siteId, string indicatorId)
    {
        lock (_gate)
        {
            return _active.Values
                .Where(a => !a.Silenced && a.SiteId == siteId && a.IndicatorId == indicatorId)
                .OrderByDescending(a => a.Status == AlertStatus.Firing).ThenByDescending(a => a.Severity)
                .FirstOrDefault();
        }
    }

    /// <summary>Calls <paramref name="listener"/> after every change (on the pushing thread: post to your own dispatcher).</summary>
    public IDisposable Subscribe(Action listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Unsubscriber(this, listener);
    }

    public void Dispose() => _subscription.Dispose();

    private async Task LoadAsync(AlertStore store)
    {
        var active = await store.ListAsync(activeOnly: true, limit: 100_000, CancellationToken.None);
        lock (_gate)
        {
            foreach (var alert in active) Remember(alert);
            _seenWhileLoading = null;
        }
        Notify();
    }

    private void Apply(AlertView change)
    {
        lock (_gate)
        {
            if (!Remember(change)) return;
        }
        Notify();
    }

    /// <summary>Takes the change unless a later one of the same alert was seen; called under the lock.</summary>
    private bool Remember(AlertView change)
    {
        if (_seenWhileLoading is { } seen)
        {
            if (seen.TryGetValue(change.Id, out var last) && last >= change.Sequence) return false;
            seen[change.Id] = change.Sequence;
        }
        else if (_active.TryGetValue(change.Id, out var current) && current.Sequence >= change.Sequence)
        {
            return false;
        }
        if (change.IsActive) _active[change.Id] = change;
        else _active.Remove(change.Id);
        return true;
    }

    private void Notify()
    {
        foreach (var listener in Volatile.Read(ref _listeners)) listener();
    }

    private sealed class Unsubscriber(ActiveAlerts owner, Action listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate) owner._listeners = owner._listeners.Where(l => l != listener).ToArray();
        }
    }
}
