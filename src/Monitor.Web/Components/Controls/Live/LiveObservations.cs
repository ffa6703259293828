using Monitor.Web.Observations;

namespace Monitor.Web.Components.Controls.Live;

/// <summary>
/// A component's subscription to the <see cref="ObservationFeed"/>: keeps only the observations the component shows
/// and hands them over in as few calls as possible. While one hand-over runs, whatever arrives is gathered for the
/// next one, so a 10,000-observation import re-renders a panel once or twice, not 10,000 times, and no timer is needed.
/// </summary>
public sealed class LiveObservations : IDisposable
{
    private readonly Func<RecordedObservation, bool> _concerns;
    private readonly Func<IReadOnlyList<RecordedObservation>, Task> _deliver;
    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private List<RecordedObservation> _pending = [];
    private bool _delivering;
    private volatile bool _disposed;

    /// <param name="concerns">Called on the feed's thread for every observation: read only immutable state.</param>
    /// <param name="deliver">Called with each gathered burst; components wrap their work in <c>InvokeAsync</c>.</param>
    public LiveObservations(ObservationFeed feed, Func<RecordedObservation, bool> concerns, Func<IReadOnlyList<RecordedObservation>, Task> deliver)
    {
        _concerns = concerns;
        _deliver = deliver;
        _subscription = feed.Subscribe(OnPublishedAsync);
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription.Dispose();
    }

    private Task OnPublishedAsync(IReadOnlyList<RecordedObservation> batch)
    {
        if (_disposed) return Task.CompletedTask;
        lock (_gate)
        {
            foreach (var observation in batch)
            {
                if (_concerns(observation)) _pending.Add(observation);
            }
            if (_pending.Count == 0 || _delivering) return Task.CompletedTask;
            _delivering = true;
        }
        return DeliverAsync();
    }

    private async Task DeliverAsync()
    {
        while (true)
        {
            List<RecordedObservation> burst;
            lock (_gate)
            {
                if (_pending.Count == 0 || _disposed)
                {
                    _pending.Clear();
                    _delivering = false;
                    return;
                }
                burst = _pending;
                _pending = [];
            }

            try
            {
                await _deliver(burst);
            }
            catch
            {
                // Let the next announcement start a fresh hand-over; the feed logs this failure.
                lock (_gate) _delivering = false;
                throw;
            }
        }
    }
}
