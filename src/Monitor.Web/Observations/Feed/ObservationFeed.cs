using System.Threading.Channels;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Feed;

/// <summary>An observation as it is announced once committed: with the site's region, so listeners can filter by it.</summary>
/// <param name="Voided">True when a correction withdrew this reading: listeners drop the point at this timestamp.</param>
public sealed record RecordedObservation(
    string SiteId,
    string Region,
    string IndicatorId,
    DateTimeOffset Timestamp,
    double? Value,
    string? State,
    string? Source,
    string? Note,
    bool? Voided = null)
{
    public Observation ToObservation() => new(SiteId, IndicatorId, Timestamp, Value, State, Source, Note);
}

/// <summary>What a subscriber receives, in sequence order.</summary>
public abstract record FeedMessage(long Sequence);

/// <summary>
/// One committed batch. Its observations are built when a subscriber first reads them, once for all: a load of an
/// indicator no rule watches and no page or hub client shows builds none.
/// </summary>
public sealed record FeedBatch : FeedMessage
{
    private readonly Lazy<IReadOnlyList<RecordedObservation>> _observations;

    public FeedBatch(long sequence, IReadOnlyList<RecordedObservation> observations)
        : this(sequence, observations.Count, observations.Select(o => o.IndicatorId).ToHashSet(StringComparer.Ordinal), () => observations)
    {
    }

    /// <param name="observations">Builds the observations; called at most once, by the first subscriber to read them.</param>
    public FeedBatch(long sequence, int count, IReadOnlySet<string> indicatorIds, Func<IReadOnlyList<RecordedObservation>> observations)
        : base(sequence)
    {
        Count = count;
        IndicatorIds = indicatorIds;
        _observations = new(observations, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How many observations the batch holds, without building them.</summary>
    public int Count { get; }

    /// <summary>The indicators the batch's observations are of, without building them.</summary>
    public IReadOnlySet<string> IndicatorIds { get; }

    public IReadOnlyList<RecordedObservation> Observations => _observations.Value;
}

/// <summary>
/// The subscriber missed batches up to <see cref="FeedMessage.Sequence"/> (it fell behind, or stored history changed
/// without a batch of its own): re-read what it shows. Batches after it follow as usual; seeing one twice is harmless.
/// </summary>
public sealed record FeedResync(long Sequence) : FeedMessage(Sequence);

/// <summary>
/// In-process announcements of committed batches, in ingest-sequence order. Blazor circuits, the hub forwarder and the
/// alert engine subscribe here. Each subscriber has its own bounded queue and its own pump: a slow one never delays
/// the writer or the others, and one that falls more than its capacity behind loses its queue and is told to resync
/// instead of growing memory.
/// </summary>
public sealed partial class ObservationFeed(ILogger<ObservationFeed> logger)
{
    /// <summary>Observations a subscriber may have waiting before it is resynced.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];
    private long _lastSequence;
    private TaskCompletionSource _lightened = NewSignal();

    /// <summary>The sequence of the last message published.</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>Continues the numbering of an earlier run, so sequences never go back after a restart.</summary>
    public void ContinueFrom(long sequence)
    {
        lock (_gate)
        {
            if (sequence > _lastSequence) Volatile.Write(ref _lastSequence, sequence);
        }
    }

    /// <param name="receive">Called for each message, one at a time, in order, on the subscriber's own pump.</param>
    public IDisposable Subscribe(Func<FeedMessage, Task> receive, int capacity = DefaultCapacity, string? name = null) =>
        Add(new Subscription(this, messages => receive(messages[0]), capacity, name ?? "subscriber", handOver: 1));

    /// <param name="receive">
    /// Called with the messages waiting when the pump wakes (at least one, at most a capacity's worth), in order, one
    /// call at a time: a subscriber that handles a burst at once (one evaluation, one commit) catches up instead of
    /// paying per batch.
    /// </param>
    public IDisposable SubscribeMany(Func<IReadOnlyList<FeedMessage>, Task> receive, int capacity = DefaultCapacity, string? name = null) =>
        Add(new Subscription(this, receive, capacity, name ?? "subscriber", handOver: 1_000));

    private Subscription Add(Subscription subscription)
    {
        lock (_gate) _subscriptions = [.. _subscriptions, subscription];
        return subscription;
    }

    /// <summary>Announces a committed batch; callers publish in sequence order (the ingest does so under its write lock).</summary>
    public void Publish(FeedBatch batch) => Offer(batch);

    /// <summary>
    /// Waits until no subscriber has more than <paramref name="observations"/> waiting, or <paramref name="timeout"/>
    /// has passed. A bulk writer (an import) paces itself by it, so its batches are evaluated as they come instead of
    /// piling up in every subscriber's queue (memory) or overflowing it (a resync).
    /// </summary>
    public async Task CatchUpAsync(int observations, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            // Taken before the check: a queue that shrinks between the check and the wait completes it.
            var lightened = Volatile.Read(ref _lightened).Task;
            if (!Volatile.Read(ref _subscriptions).Any(s => s.Queued > observations)) return;
            var left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return;
            try
            {
                await lightened.WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    /// <summary>A subscriber's queue shrank (its pump took from it, it was resynced or it left): wakes <see cref="CatchUpAsync"/>.</summary>
    private void Lightened() => Interlocked.Exchange(ref _lightened, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tells every subscriber to re-read: stored history changed without a batch to announce it.</summary>
    public void Resync()
    {
        lock (_gate) Offer(new FeedResync(_lastSequence));
    }

    private void Offer(FeedMessage message)
    {
        lock (_gate)
        {
            if (message.Sequence < _lastSequence)
                throw new InvalidOperationException($"Feed message {message.Sequence} comes after {_lastSequence}.");
            Volatile.Write(ref _lastSequence, message.Sequence);
            foreach (var subscription in _subscriptions) subscription.Offer(message);
        }
    }

    /// <summary>
    /// Whether every subscriber has been handed every message up to <paramref name="sequence"/> (its handler returned):
    /// lets a test wait for the feed to settle instead of sleeping.
    /// </summary>
    internal bool HasHandedOver(long sequence) => _subscriptions.All(s => s.HandedOver >= sequence);

    /// <summary>Whether the subscribers named <paramref name="name"/> have nothing waiting and nothing in hand (a test's wait).</summary>
    internal bool IsIdle(string name) => Volatile.Read(ref _subscriptions).Where(s => s.Name == name).All(s => s.Idle);

    private void Remove(Subscription subscription)
    {
        lock (_gate) _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        Lightened();
    }

    [LoggerMessage(LogLevel.Warning, "Feed subscriber '{Name}' fell {Capacity} observations behind; it was told to re-read (resync) at sequence {Sequence}.")]
    private partial void LogResync(string name, int capacity, long sequence);

    [LoggerMessage(LogLevel.Warning, "Feed subscriber '{Name}' failed on messages from sequence {Sequence}; it keeps receiving.")]
    private partial void LogSubscriberFailed(Exception exception, string name, long sequence);

    private sealed class Subscription : IDisposable
    {

        private readonly ObservationFeed _feed;
        private readonly Func<IReadOnlyList<FeedMessage>, Task> _receive;
        private readonly int _capacity;
        private readonly int _handOver;
        private readonly string _name;
        private readonly Channel<FeedMessage> _queue = Channel.CreateUnbounded<FeedMessage>(new UnboundedChannelOptions { SingleWriter = true });
        private int _queued;
        private long _handedOver;
        private volatile bool _disposed;
        private volatile bool _receiving;

        /// <param name="handOver">At most this many messages per call (and at most a capacity's worth of observations).</param>
        public Subscription(ObservationFeed feed, Func<IReadOnlyList<FeedMessage>, Task> receive, int capacity, string name, int handOver)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
            _handOver = handOver;
            _feed = feed;
            _receive = receive;
            _capacity = capacity;
            _name = name;
            _ = Task.Run(PumpAsync);
        }

        public long HandedOver => Volatile.Read(ref _handedOver);

        public string Name => _name;

        public bool Idle => !_receiving && !_queue.Reader.TryPeek(out _);

        public int Queued => Volatile.Read(ref _queued);

        /// <summary>Called under the feed's lock, so offers never interleave.</summary>
        public void Offer(FeedMessage message)
        {
            var size = Size(message);
            if (Volatile.Read(ref _queued) + size > _capacity)
            {
                // Drop what waits (and this batch) and leave one marker: memory stays bounded, order stays intact.
                while (_queue.Reader.TryRead(out var dropped)) Interlocked.Add(ref _queued, -Size(dropped));
                _feed.LogResync(_name, _capacity, message.Sequence);
                message = new FeedResync(message.Sequence);
                size = 0;
                _feed.Lightened();
            }
            Interlocked.Add(ref _queued, size);
            _queue.Writer.TryWrite(message);
        }

        /// <summary>
        /// Stops delivery at once: a message already queued is not delivered after this returns (a component or hub
        /// disposed with its subscription must not be called again), and the queue is let go now rather than when the
        /// pump next wakes. A call already running in the handler finishes.
        /// </summary>
        public void Dispose()
        {
            _disposed = true;
            if (!_queue.Writer.TryComplete()) return;
            _feed.Remove(this);
            while (_queue.Reader.TryRead(out _))
            {
            }
        }

        private async Task PumpAsync()
        {
            var waiting = new List<FeedMessage>();
            while (await _queue.Reader.WaitToReadAsync())
            {
                _receiving = true;
                var handed = 0;
                while (waiting.Count < _handOver && handed < _capacity && _queue.Reader.TryRead(out var message))
                {
                    // The pump may have taken a message off the queue just before Dispose emptied it.
                    if (_disposed) return;
                    Interlocked.Add(ref _queued, -Size(message));
                    handed += Size(message);
                    waiting.Add(message);
                }
                _feed.Lightened();
                try
                {
                    await _receive(waiting.ToArray());
                }
                catch (Exception ex)
                {
                    _feed.LogSubscriberFailed(ex, _name, waiting[0].Sequence);
                }
                Volatile.Write(ref _handedOver, waiting[^1].Sequence);
                waiting.Clear();
                _receiving = false;
            }
        }

        private static int Size(FeedMessage message) => message is FeedBatch batch ? Math.Max(1, batch.Count) : 0;
    }
}
