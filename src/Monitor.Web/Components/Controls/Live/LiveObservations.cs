using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Components.Controls.Live;

/// <summary>
/// A component's subscription to the <see cref="ObservationFeed"/>: keeps only the observations the component shows
/// and hands them over in as few calls as possible. While one hand-over runs, whatever arrives is gathered for the
/// next one, so a 10,000-observation import re-renders a panel once or twice, not 10,000 times, and no timer is needed.
/// When the feed says the component missed something (it fell behind, or stored history changed under it), or a reading
/// it shows was voided, the component reloads instead.
/// </summary>
public sealed class LiveObservations : IDisposable
{
    private readonly Func<RecordedObservation, bool> _concerns;
    private readonly Func<IReadOnlyList<RecordedObservation>, Task> _deliver;
    private readonly Func<Task> _reload;
    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private List<RecordedObservation> _pending = [];
    private bool _reloadPending;
    private bool _delivering;
    private volatile bool _disposed;

    /// <param name="concerns">Called on the feed's thread for every observation: read only immutable state.</param>
    /// <param name="deliver">Called with each gathered burst; components wrap their work in <c>InvokeAsync</c>.</param>
    /// <param name="reload">Called instead when the component must read what it shows again.</param>
    public LiveObservations(
        ObservationFeed feed, Func<RecordedObservation, bool> concerns, Func<IReadOnlyList<RecordedObservation>, Task> deliver, Func<Task> reload)
    {
        _concerns = concerns;
        _deliver = deliver;
        _reload = reload;
        _subscription = feed.Subscribe(OnMessageAsync, name: "page");
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription.Dispose();
    }

    /// <summary>Observations gathered at most while a hand-over runs; past it the component reloads instead.</summary>
    public const int MaxGathered = 50_000;

    /// <summary>Gathers and returns at once: the feed's pump never waits for the component to render.</summary>
    private Task OnMessageAsync(FeedMessage message)
    {
        if (_disposed) return Task.CompletedTask;
        lock (_gate)
        {
            if (message is FeedBatch batch)
            {
                foreach (var observation in batch.Observations)
                {
                    if (!_concerns(observation)) continue;
                    if (observation.Voided == true) _reloadPending = true;
                    else _pending.Add(observation);
                }
            }
            else
            {
                _reloadPending = true;
            }
            if (_pending.Count > MaxGathered)
            {
                // A component this far behind reads afresh rather than holding ever more in memory.
                _pending.Clear();
                _reloadPending = true;
            }
            if ((_pending.Count == 0 && !_reloadPending) || _delivering) return Task.CompletedTask;
            _delivering = true;
        }
        _ = DeliverAsync();
        return Task.CompletedTask;
    }

    private async Task DeliverAsync()
    {
        while (true)
        {
            List<RecordedObservation> burst;
            bool reload;
            lock (_gate)
            {
                if ((_pending.Count == 0 && !_reloadPending) || _disposed)
                {
                    _pending.Clear();
                    _delivering = false;
                    return;
                }
                burst = _pending;
                reload = _reloadPending;
                _pending = [];
                _reloadPending = false;
            }

            try
            {
                // A reload reads everything committed so far, the gathered burst included.
                if (reload) await _reload();
                else await _deliver(burst);
            }
            catch
            {
                // The renderer reports a component's own failure; the next announcement starts a fresh hand-over.
                lock (_gate) _delivering = false;
                return;
            }
        }
    }
}
