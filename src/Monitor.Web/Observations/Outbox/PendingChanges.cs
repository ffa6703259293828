using System.Runtime.InteropServices;
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
/// one lock per batch rather than per item. A series' index, once emptied, is kept for the next series to need one
/// (up to <see cref="SpareIndexes"/> of them): regrown for every load, the indexes of a few thousand queued readings
/// each were large-object allocations, and those set off the collector's full collections; kept by their own series
/// for good, they held the memory of each series' largest backlog. An index entry is a value (the batch and the
/// change's position in it), and a key with one queued change, the usual case, needs no list: queued batches stay in
/// memory until InfluxDB confirms them, so whatever is allocated per queued reading is work for the garbage
/// collector's older generations.
/// </remarks>
public sealed class PendingChanges
{
    /// <summary>Emptied series indexes kept for reuse: enough for every series of a large load.</summary>
    public const int SpareIndexes = 1_000;

    private readonly Lock _gate = new();
    private readonly LinkedList<IngestBatch> _batches = new();
    private readonly SeriesTable<Dictionary<long, Slot>> _bySeries = new();
    private readonly Stack<Dictionary<long, Slot>> _spare = new();
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
            // Confirmed batches lie near the front: the walk ends once it has found them all, not at the back of a backlog.
            for (var node = _batches.First; node is not null && removed.Count > 0;)
            {
                var next = node.Next;
                if (removed.Remove(node.Value.Sequence))
                {
                    Unindex(node.Value);
                    _batches.Remove(node);
                }
                node = next;
            }
        }
    }

    /// <summary>
    /// The oldest batches after sequence <paramref name="after"/>, up to about <paramref name="maxChanges"/> changes
    /// (at least one batch, if there is one).
    /// </summary>
    public IReadOnlyList<IngestBatch> Front(int maxChanges, long after = 0)
    {
        lock (_gate)
        {
            var front = new List<IngestBatch>();
            var changes = 0;
            foreach (var batch in _batches)
            {
                if (batch.Sequence <= after) continue;
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
        lock (_gate) return Find(key) is { } slot ? slot.Last.ToChange() : null;
    }

    /// <summary>For each reading, the queued change that decides its key, or null: one lock for a whole batch.</summary>
    public PendingChange?[] Latest(IReadOnlyList<Observation> readings)
    {
        var latest = new PendingChange?[readings.Count];
        lock (_gate)
        {
            if (_count == 0) return latest;
            for (var i = 0; i < readings.Count; i++) latest[i] = Find(readings[i].Key)?.Last.ToChange();
        }
        return latest;
    }

    /// <summary>Every queued change at a key, oldest first.</summary>
    public IReadOnlyList<PendingChange> At(ObservationKey key)
    {
        lock (_gate)
        {
            if (Find(key) is not { } slot) return [];
            return slot.All is { } all ? all.Select(e => e.ToChange()).ToArray() : [slot.Last.ToChange()];
        }
    }

    /// <summary>The deciding queued change of each key of a series in [from, to].</summary>
    public IReadOnlyList<PendingChange> InRange(SeriesKey series, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            if (_bySeries.Find(series.SiteId, series.IndicatorId) is not { } times) return [];
            return times.Values.Where(slot => slot.Last.Change.Key.Timestamp >= from && slot.Last.Change.Key.Timestamp <= to)
                .Select(slot => slot.Last.ToChange()).ToArray();
        }
    }

    /// <summary>The series of a site that have queued changes.</summary>
    public IReadOnlyList<SeriesKey> SeriesAt(string siteId)
    {
        lock (_gate) return _bySeries.All.Keys.Where(s => s.SiteId == siteId).ToArray();
    }

    /// <summary>The earliest and latest timestamps of queued readings (not voids), or null.</summary>
    public (DateTimeOffset First, DateTimeOffset Last)? Extent()
    {
        lock (_gate)
        {
            var stamps = _bySeries.All.Values.SelectMany(times => times.Values)
                .Select(slot => slot.Last.Change).Where(c => c.Kind != ChangeKind.Void).Select(c => c.Key.Timestamp).ToArray();
            return stamps.Length == 0 ? null : (stamps.Min(), stamps.Max());
        }
    }

    private Slot? Find(ObservationKey key) =>
        _bySeries.Find(key.SiteId, key.IndicatorId) is { } times && times.TryGetValue(key.Timestamp.ToUnixTimeMilliseconds(), out var slot) ? slot : null;

    private void Index(IngestBatch batch)
    {
        var changes = batch.Changes;
        for (var i = 0; i < changes.Count; i++)
        {
            var reading = changes[i].Reading;
            var times = _bySeries.Find(reading.SiteId, reading.IndicatorId)
                ?? _bySeries.Add(reading.SiteId, reading.IndicatorId, _spare.TryPop(out var spare) ? spare : []);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(times, reading.Timestamp.ToUnixTimeMilliseconds(), out var exists);
            var entry = new Entry(batch, i);
            if (exists) (slot.All ??= [slot.Last]).Add(entry);
            slot.Last = entry;
        }
        Interlocked.Add(ref _count, changes.Count);
    }

    private void Unindex(IngestBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            var key = change.Key;
            if (_bySeries.Find(key.SiteId, key.IndicatorId) is not { } times) continue;
            var at = key.Timestamp.ToUnixTimeMilliseconds();
            ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(times, at);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot)) continue;

            var empty = false;
            if (slot.All is not { } all)
            {
                empty = slot.Last.Batch.Sequence == batch.Sequence;
            }
            else
            {
                all.RemoveAll(e => e.Batch.Sequence == batch.Sequence);
                if (all.Count == 0) empty = true;
                else slot = all.Count == 1 ? new Slot(all[0], null) : slot with { Last = all[^1] };
            }
            if (!empty) continue;
            times.Remove(at);
            if (times.Count > 0) continue;
            _bySeries.Remove(key.Series);
            if (_spare.Count < SpareIndexes) _spare.Push(times);
        }
        Interlocked.Add(ref _count, -batch.Changes.Count);
    }

    /// <summary>A queued change: its batch and its position there.</summary>
    private readonly record struct Entry(IngestBatch Batch, int Index)
    {
        public ObservationChange Change => Batch.Changes[Index];

        public PendingChange ToChange() => new(Change, Batch.Sequence, Batch.RecordedAt, Batch.RecordedBy);
    }

    /// <summary>The changes queued at one key: the last one, and all of them in order once there is more than one.</summary>
    private record struct Slot(Entry Last, List<Entry>? All);
}

/// <summary>A queued change with the batch it belongs to.</summary>
public sealed record PendingChange(ObservationChange Change, long Sequence, DateTimeOffset RecordedAt, string RecordedBy)
{
    public ObservationVersion ToVersion() =>
        new(Change.Reading, Sequence, RecordedAt, RecordedBy, Change.Reason, Change.Kind == ChangeKind.Void);
}
