using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// The outbox in memory: batches committed to disk but not yet confirmed by InfluxDB, in sequence order, indexed by
/// series and time. Reads merge it over the store (read your writes), the history guard checks new batches against
/// it, and the drain takes its batches from the front. Bounded by <see cref="OutboxOptions.MaxBacklog"/>.
/// </summary>
/// <remarks>
/// Each batch is indexed as one <see cref="Run"/> per series it touches: the positions of that series' readings in the
/// batch, in time order. Queuing, confirming and looking up a batch then costs a step per series and per reading that
/// falls inside a queued run's time span, where an index by reading cost a hash for every reading three times over
/// (queued, checked, confirmed): a ninth of the app's CPU under load. Batches rarely share a series' time span, so a
/// new batch usually finds nothing to search. Everything runs under one lock, taken once per batch.
/// </remarks>
public sealed class PendingChanges
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Indexed> _batches = new();
    private readonly SeriesTable<SeriesRuns> _bySeries = new();
    private readonly SemaphoreSlim _added = new(0);
    private int _count;

    /// <summary>Observations queued.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>When the oldest queued batch was accepted, or null when nothing is queued.</summary>
    public DateTimeOffset? OldestRecordedAt
    {
        get
        {
            lock (_gate) return _batches.First?.Value.Batch.RecordedAt;
        }
    }

    public void Add(IngestBatch batch)
    {
        lock (_gate) _batches.AddLast(Index(batch));
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
                if (node.Value.Batch.Sequence != batch.Sequence) continue;
                Unindex(node.Value);
                node.Value = Index(batch);
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
                if (removed.Remove(node.Value.Batch.Sequence))
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
            foreach (var (batch, _) in _batches)
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
        lock (_gate)
        {
            if (_bySeries.Find(key.SiteId, key.IndicatorId) is not { } series) return null;
            var ticks = key.Timestamp.UtcTicks;
            return series.Covers(ticks, ticks) ? LatestIn(series.Runs, ticks) : null;
        }
    }

    /// <summary>
    /// For each reading, the queued change that decides its key, or null: one lock for a whole batch. Empty when none of
    /// the readings is queued (the usual case), so that case allocates nothing the size of the batch.
    /// </summary>
    public PendingChange?[] Latest(IReadOnlyList<Observation> readings)
    {
        PendingChange?[]? latest = null;
        lock (_gate)
        {
            if (_count == 0) return [];
            // First each series' time span in this batch, then its queued runs within that span: usually none.
            var touched = new List<SeriesRuns>();
            foreach (var reading in readings) _bySeries.Find(reading.SiteId, reading.IndicatorId)?.Asked(reading.Timestamp.UtcTicks, touched);
            var searched = false;
            foreach (var series in touched) searched |= series.SelectOverlapping();
            for (var i = 0; searched && i < readings.Count; i++)
            {
                var reading = readings[i];
                if (_bySeries.Find(reading.SiteId, reading.IndicatorId) is { Overlapping.Count: > 0 } series
                    && LatestIn(series.Overlapping, reading.Timestamp.UtcTicks) is { } found)
                {
                    (latest ??= new PendingChange?[readings.Count])[i] = found;
                }
            }
            foreach (var series in touched) series.DoneAsking();
        }
        return latest ?? [];
    }

    /// <summary>Every queued change at a key, oldest first.</summary>
    public IReadOnlyList<PendingChange> At(ObservationKey key)
    {
        lock (_gate)
        {
            if (_bySeries.Find(key.SiteId, key.IndicatorId) is not { } series) return [];
            var ticks = key.Timestamp.UtcTicks;
            var all = new List<PendingChange>();
            foreach (var run in series.Runs)
            {
                for (var at = run.First(ticks); at < run.Count && run.TicksAt(at) == ticks; at++) all.Add(run.ChangeAt(at));
            }
            return all;
        }
    }

    /// <summary>The deciding queued change of each key of a series in [from, to].</summary>
    public IReadOnlyList<PendingChange> InRange(SeriesKey series, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            return _bySeries.Find(series.SiteId, series.IndicatorId) is { } runs
                ? Deciding(runs, from.UtcTicks, to.UtcTicks).Values.ToArray()
                : [];
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
            var stamps = _bySeries.All.Values.SelectMany(series => Deciding(series, long.MinValue, long.MaxValue).Values)
                .Select(queued => queued.Change).Where(c => c.Kind != ChangeKind.Void).Select(c => c.Key.Timestamp).ToArray();
            return stamps.Length == 0 ? null : (stamps.Min(), stamps.Max());
        }
    }

    /// <summary>The last change at each time in [from, to] (in ticks) of a series: later runs, and later positions, decide.</summary>
    private static Dictionary<long, PendingChange> Deciding(SeriesRuns series, long from, long to)
    {
        var deciding = new Dictionary<long, PendingChange>();
        foreach (var run in series.Runs)
        {
            for (var at = run.First(from); at < run.Count && run.TicksAt(at) <= to; at++) deciding[run.TicksAt(at)] = run.ChangeAt(at);
        }
        return deciding;
    }

    /// <summary>The last queued change at a time among runs in sequence order, searching the newest run first.</summary>
    private static PendingChange? LatestIn(List<Run> runs, long ticks)
    {
        for (var r = runs.Count - 1; r >= 0; r--)
        {
            var run = runs[r];
            if (ticks < run.From || ticks > run.To) continue;
            var at = run.First(ticks + 1) - 1;
            if (at >= 0 && run.TicksAt(at) == ticks) return run.ChangeAt(at);
        }
        return null;
    }

    private Indexed Index(IngestBatch batch)
    {
        var changes = batch.Changes;
        var touched = new List<SeriesRuns>();
        for (var i = 0; i < changes.Count; i++)
        {
            var reading = changes[i].Reading;
            var series = _bySeries.Find(reading.SiteId, reading.IndicatorId)
                ?? _bySeries.Add(reading.SiteId, reading.IndicatorId, new SeriesRuns(new SeriesKey(reading.SiteId, reading.IndicatorId)));
            if (series.Building.Count == 0) touched.Add(series);
            series.Building.Add(i);
        }

        var runs = new Run[touched.Count];
        for (var s = 0; s < touched.Count; s++) runs[s] = touched[s].Insert(batch);
        Interlocked.Add(ref _count, changes.Count);
        return new Indexed(batch, runs);
    }

    private void Unindex(Indexed indexed)
    {
        foreach (var run in indexed.Runs)
        {
            var series = run.Series;
            series.Remove(run);
            if (series.Runs.Count == 0) _bySeries.Remove(series.Key);
        }
        Interlocked.Add(ref _count, -indexed.Batch.Changes.Count);
    }

    /// <summary>A queued batch and its runs, one per series it touches.</summary>
    private readonly record struct Indexed(IngestBatch Batch, Run[] Runs);

    /// <summary>One batch's readings of one series: their positions in the batch, ordered by time (then position).</summary>
    private sealed class Run(SeriesRuns series, IngestBatch batch, int[] positions)
    {
        public SeriesRuns Series { get; } = series;
        public IngestBatch Batch { get; } = batch;
        public int Count => positions.Length;
        public long From { get; } = Ticks(batch, positions[0]);
        public long To { get; } = Ticks(batch, positions[^1]);

        public long TicksAt(int at) => Ticks(Batch, positions[at]);

        public PendingChange ChangeAt(int at) => new(Batch.Changes[positions[at]], Batch.Sequence, Batch.RecordedAt, Batch.RecordedBy);

        /// <summary>The first position at or after <paramref name="ticks"/> (<see cref="Count"/> when none is).</summary>
        public int First(long ticks)
        {
            int low = 0, high = positions.Length;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (TicksAt(mid) < ticks) low = mid + 1;
                else high = mid;
            }
            return low;
        }

        public static long Ticks(IngestBatch batch, int position) => batch.Changes[position].Reading.Timestamp.UtcTicks;
    }

    /// <summary>A series' runs in sequence order, the span they cover, and the scratch state of a batch being indexed or checked.</summary>
    private sealed class SeriesRuns(SeriesKey key)
    {
        public SeriesKey Key { get; } = key;
        public List<Run> Runs { get; } = [];
        private long _from = long.MaxValue, _to = long.MinValue;

        /// <summary>Positions of this series in the batch being indexed.</summary>
        public List<int> Building { get; } = [];

        /// <summary>The span of the batch being checked, and the runs within it.</summary>
        private long _askedFrom = long.MaxValue, _askedTo = long.MinValue;
        public List<Run> Overlapping { get; } = [];

        public bool Covers(long from, long to) => from <= _to && to >= _from;

        /// <summary>Makes the run of the positions built up, in sequence order among the runs (a replaced batch keeps its place).</summary>
        public Run Insert(IngestBatch batch)
        {
            var positions = Building.ToArray();
            Building.Clear();
            if (!InTimeOrder(batch, positions))
            {
                // Stable: readings at one time keep their order in the batch, so the last one decides.
                positions = [.. positions.OrderBy(p => Run.Ticks(batch, p))];
            }
            var run = new Run(this, batch, positions);
            var at = Runs.Count;
            while (at > 0 && Runs[at - 1].Batch.Sequence > batch.Sequence) at--;
            Runs.Insert(at, run);
            _from = Math.Min(_from, run.From);
            _to = Math.Max(_to, run.To);
            return run;
        }

        public void Remove(Run run)
        {
            Runs.Remove(run);
            _from = long.MaxValue;
            _to = long.MinValue;
            foreach (var left in Runs)
            {
                _from = Math.Min(_from, left.From);
                _to = Math.Max(_to, left.To);
            }
        }

        public void Asked(long ticks, List<SeriesRuns> touched)
        {
            if (_askedFrom > _askedTo) touched.Add(this);
            _askedFrom = Math.Min(_askedFrom, ticks);
            _askedTo = Math.Max(_askedTo, ticks);
        }

        /// <summary>Picks the runs the batch's span meets; true when there is any.</summary>
        public bool SelectOverlapping()
        {
            if (!Covers(_askedFrom, _askedTo)) return false;
            foreach (var run in Runs)
            {
                if (run.From <= _askedTo && run.To >= _askedFrom) Overlapping.Add(run);
            }
            return Overlapping.Count > 0;
        }

        public void DoneAsking()
        {
            _askedFrom = long.MaxValue;
            _askedTo = long.MinValue;
            Overlapping.Clear();
        }

        private static bool InTimeOrder(IngestBatch batch, int[] positions)
        {
            for (var i = 1; i < positions.Length; i++)
            {
                if (Run.Ticks(batch, positions[i]) < Run.Ticks(batch, positions[i - 1])) return false;
            }
            return true;
        }
    }
}

/// <summary>A queued change with the batch it belongs to.</summary>
public sealed record PendingChange(ObservationChange Change, long Sequence, DateTimeOffset RecordedAt, string RecordedBy)
{
    public ObservationVersion ToVersion() =>
        new(Change.Reading, Sequence, RecordedAt, RecordedBy, Change.Reason, Change.Kind == ChangeKind.Void);
}
