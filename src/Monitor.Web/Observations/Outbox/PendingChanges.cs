using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// The outbox in memory: batches committed to disk but not yet confirmed by InfluxDB, in sequence order, indexed by
/// series and time. Reads merge it over the store (read your writes), the history guard checks new batches against
/// it, and the drain takes its batches from the front. Bounded by <see cref="OutboxOptions.MaxBacklog"/>.
/// </summary>
/// <remarks>
/// Indexed by series, then by time in Unix milliseconds (a number hashes faster than a whole key), and looked up under
/// one lock per batch rather than per item.
/// </remarks>
public sealed class PendingChanges
{
    private readonly Lock _gate = new();
    private readonly LinkedList<IngestBatch> _batches = new();
    private readonly Dictionary<SeriesKey, Dictionary<long, List<PendingChange>>> _bySeries = [];
    private readonly SemaphoreSlim _added = new(0);
    private int _count;

    /// <summary>Observations queued.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>When the oldest queued batch was accepted, or null when nothing is queued.</summary>
    public DateTimeOffset? OldestRecordedAt
    {
        get
        {
            lock (_gate) return _batches.First?.Value.RecordedAt;
        }
    }

    public void Add(IngestBatch batch)
    {
        lock (_gate)
        {
            _batches.AddLast(batch);
            Index(batch);
        }
        if (_added.CurrentCount == 0) _added.Release();
    }

    /// <summary>Waits until a batch is added or the timeout passes, whichever comes first.</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _added.WaitAsync(timeout, cancellationToken);

    /// <summary>Replaces a queued batch (the drain removed items it filed as conflicts).</summary>
    public void Replace(IngestBatch batch)
    {
        lock (_gate)
        {
            for (var node = _batches.First; node is not null; node = node.Next)
            {
                if (node.Value.Sequence != batch.Sequence) continue;
                Unindex(node.Value);
                node.Value = batch;
                Index(batch);
                return;
            }
        }
    }

    /// <summary>Forgets batches the store has confirmed (or that were set aside).</summary>
    public void Remove(IReadOnlyCollection<long> sequences)
    {
        var removed = sequences.ToHashSet();
        lock (_gate)
        {
            for (var node = _batches.First; node is not null;)
            {
                var next = node.Next;
                if (removed.Contains(node.Value.Sequence))
                {
                    Unindex(node.Value);
                    _batches.Remove(node);
                }
                node = next;
            }
        }
    }

    /// <summary>The oldest batches, up to about <paramref name="maxChanges"/> changes (always at least one batch).</summary>
    public IReadOnlyList<IngestBatch> Front(int maxChanges)
    {
        lock (_gate)
        {
            var front = new List<IngestBatch>();
            var changes = 0;
            foreach (var batch in _batches)
            {
                if (front.Count > 0 && changes + batch.Changes.Count > maxChanges) break;
                front.Add(batch);
                changes += batch.Changes.Count;
            }
            return front;
        }
    }

    /// <summary>The queued change that decides the reading at a key (the last one), or null.</summary>
    public PendingChange? Latest(ObservationKey key)
    {
        lock (_gate) return Find(key) is { } changes ? changes[^1] : null;
    }

    /// <summary>For each reading, the queued change that decides its key, or null: one lock for a whole batch.</summary>
    public PendingChange?[] Latest(IReadOnlyList<Observation> readings)
    {
        var latest = new PendingChange?[readings.Count];
        lock (_gate)
        {
            if (_bySeries.Count == 0) return latest;
            for (var i = 0; i < readings.Count; i++) latest[i] = Find(readings[i].Key)?[^1];
        }
        return latest;
    }

    /// <summary>Every queued change at a key, oldest first.</summary>
    public IReadOnlyList<PendingChange> At(ObservationKey key)
    {
        lock (_gate) return Find(key) is { } changes ? changes.ToArray() : [];
    }

    /// <summary>The deciding queued change of each key of a series in [from, to].</summary>
    public IReadOnlyList<PendingChange> InRange(SeriesKey series, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            if (!_bySeries.TryGetValue(series, out var times)) return [];
            return times.Values.Select(changes => changes[^1]).Where(c => c.Change.Key.Timestamp >= from && c.Change.Key.Timestamp <= to).ToArray();
        }
    }

    /// <summary>The series of a site that have queued changes.</summary>
    public IReadOnlyList<SeriesKey> SeriesAt(string siteId)
    {
        lock (_gate) return _bySeries.Keys.Where(s => s.SiteId == siteId).ToArray();
    }

    /// <summary>The earliest and latest timestamps of queued readings (not voids), or null.</summary>
    public (DateTimeOffset First, DateTimeOffset Last)? Extent()
    {
        lock (_gate)
        {
            var stamps = _bySeries.Values.SelectMany(times => times.Values)
                .Select(c => c[^1]).Where(c => c.Change.Kind != ChangeKind.Void).Select(c => c.Change.Key.Timestamp).ToArray();
            return stamps.Length == 0 ? null : (stamps.Min(), stamps.Max());
        }
    }

    private List<PendingChange>? Find(ObservationKey key) =>
        _bySeries.TryGetValue(key.Series, out var times) && times.TryGetValue(key.Timestamp.ToUnixTimeMilliseconds(), out var changes) ? changes : null;

    private void Index(IngestBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            var key = change.Key;
            if (!_bySeries.TryGetValue(key.Series, out var times)) _bySeries[key.Series] = times = [];
            var at = key.Timestamp.ToUnixTimeMilliseconds();
            if (!times.TryGetValue(at, out var changes)) times[at] = changes = new List<PendingChange>(1);
            changes.Add(new PendingChange(change, batch.Sequence, batch.RecordedAt, batch.RecordedBy));
        }
        Interlocked.Add(ref _count, batch.Changes.Count);
    }

    private void Unindex(IngestBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            var key = change.Key;
            if (Find(key) is not { } changes) continue;
            changes.RemoveAll(c => c.Sequence == batch.Sequence);
            if (changes.Count > 0) continue;
            var times = _bySeries[key.Series];
            times.Remove(key.Timestamp.ToUnixTimeMilliseconds());
            if (times.Count == 0) _bySeries.Remove(key.Series);
        }
        Interlocked.Add(ref _count, -batch.Changes.Count);
    }
}

/// <summary>A queued change with the batch it belongs to.</summary>
public sealed record PendingChange(ObservationChange Change, long Sequence, DateTimeOffset RecordedAt, string RecordedBy)
{
    public ObservationVersion ToVersion() =>
        new(Change.Reading, Sequence, RecordedAt, RecordedBy, Change.Reason, Change.Kind == ChangeKind.Void);
}
