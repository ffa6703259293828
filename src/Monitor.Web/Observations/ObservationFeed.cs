using Monitor.Domain.Observations;

namespace Monitor.Web.Observations;

/// <summary>An observation as it is announced once stored: with the site's region, so listeners can filter by it.</summary>
public sealed record RecordedObservation(
    string SiteId,
    string Region,
    string IndicatorId,
    DateTimeOffset Timestamp,
    double? Value,
    string? State,
    string? Source,
    string? Note)
{
    public Observation ToObservation() => new(SiteId, IndicatorId, Timestamp, Value, State, Source, Note);
}

/// <summary>
/// In-process announcements of stored observations. Blazor circuits and the hub forwarder subscribe here
/// instead of connecting to the app's own hub. A slow or failing listener never delays the writer or other listeners.
/// </summary>
public sealed class ObservationFeed(ILogger<ObservationFeed> logger)
{
    private readonly Lock _gate = new();
    private ImmutableListeners _listeners = ImmutableListeners.Empty;

    public IDisposable Subscribe(Func<IReadOnlyList<RecordedObservation>, Task> listener)
    {
        lock (_gate) _listeners = _listeners.Add(listener);
        return new Subscription(this, listener);
    }

    public void Publish(IReadOnlyList<RecordedObservation> batch)
    {
        if (batch.Count == 0) return;
        foreach (var listener in Volatile.Read(ref _listeners).Items)
        {
            _ = NotifyAsync(listener, batch);
        }
    }

    private async Task NotifyAsync(Func<IReadOnlyList<RecordedObservation>, Task> listener, IReadOnlyList<RecordedObservation> batch)
    {
        try
        {
            await Task.Yield();
            await listener(batch);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "An observation listener failed; the others were notified.");
        }
    }

    private void Unsubscribe(Func<IReadOnlyList<RecordedObservation>, Task> listener)
    {
        lock (_gate) _listeners = _listeners.Remove(listener);
    }

    private sealed record ImmutableListeners(Func<IReadOnlyList<RecordedObservation>, Task>[] Items)
    {
        public static readonly ImmutableListeners Empty = new([]);
        public ImmutableListeners Add(Func<IReadOnlyList<RecordedObservation>, Task> l) => new([.. Items, l]);
        public ImmutableListeners Remove(Func<IReadOnlyList<RecordedObservation>, Task> l) => new(Items.Where(x => x != l).ToArray());
    }

    private sealed class Subscription(ObservationFeed feed, Func<IReadOnlyList<RecordedObservation>, Task> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(listener);
        }
    }
}
