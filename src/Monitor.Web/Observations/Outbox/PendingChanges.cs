using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// The outbox in memory: batches committed to disk but not yet confirmed by InfluxDB, in sequence order, indexed by
/// reading. Reads merge it over the store (read your writes), the history guard checks new batches against it, and
/// the drain takes its batches from the front. Bounded by <see cref="OutboxOptions.MaxBacklog"/>.
/// </summary>
public sealed class PendingChanges
{
    private readonly Lock _gate = new();
    private readonly LinkedList<IngestBatch> _batches = new();
    private readonly Dictionary<ObservationKey, List<PendingChange>> _byKey = [];
    private readonly Dictionary<SeriesKey, HashSet<ObservationKey>> _bySeries = [];
    private readonly Dictionary<string, HashSet<SeriesKey>> _bySite = new(StringComparer.Ordinal);
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
        lock (_gate) return _byKey.TryGetValue(key, out var changes) ? changes[^1] : null;
    }

    /// <summary>Every queued change at a key, oldest first.</summary>
    public IReadOnlyList<PendingChange> At(ObservationKey key)
    {
        lock (_gate) return _byKey.TryGetValue(key, out var changes) ? changes.ToArray() : [];
    }

    /// <summary>The deciding queued change of each key of a series in [from, to].</summary>
    public IReadOnlyList<PendingChange> InRange(SeriesKey series, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            if (!_bySeries.TryGetValue(series, out var keys)) return [];
            return keys.Where(k => k.Timestamp >= from && k.Timestamp <= to).Select(k => _byKey[k][^1]).ToArray();
        }
    }

    /// <summary>The series of a site that have queued changes.</summary>
    public IReadOnlyList<SeriesKey> SeriesAt(string siteId)
    {
        lock (_gate) return _bySite.TryGetValue(siteId, out var series) ? series.ToArray() : [];
    }

    /// <summary>The earliest and latest timestamps of queued readings (not voids), or null.</summary>
    public (DateTimeOffset First, DateTimeOffset Last)? Extent()
    {
        lock (_gate)
        {
            var stamps = _byKey.Values.Select(c => c[^1]).Where(c => c.Change.Kind != ChangeKind.Void).Select(c => c.Change.Key.Timestamp).ToArray();
            return stamps.Length == 0 ? null : (stamps.Min(), stamps.Max());
        }
    }

    private void Index(IngestBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            var key = change.Key;
            if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = [];
            list.Add(new PendingChange(change, batch.Sequence, batch.RecordedAt, batch.RecordedBy));
            if (!_bySeries.TryGetValue(key.Series, out var keys)) _bySeries[key.Series] = keys = [];
            keys.Add(key);
            if (!_bySite.TryGetValue(key.SiteId, out var series)) _bySite[key.SiteId] = series = [];
            series.Add(key.Series);
        }
        Interlocked.Add(ref _count, batch.Changes.Count);
    }

    private void Unindex(IngestBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            var key = change.Key;
            if (!_byKey.TryGetValue(key, out var list)) continue;
            list.RemoveAll(c => c.Sequence == batch.Sequence);
            if (list.Count > 0) continue;
            _byKey.Remove(key);
            var keys = _bySeries[key.Series];
            keys.Remove(key);
            if (keys.Count > 0) continue;
            _bySeries.Remove(key.Series);
            var series = _bySite[key.SiteId];
            series.Remove(key.Series);
            if (series.Count == 0) _bySite.Remove(key.SiteId);
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
