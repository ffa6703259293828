using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Web.Observations.Reading;

/// <summary>How pages and the API read observations: what the store holds, with what is still queued for it merged over.</summary>
public interface IObservationReader
{
    /// <summary>Readings of one series in [from, to], downsampled per <see cref="Downsampling"/>, oldest first.</summary>
    Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken);

    /// <summary>The raw readings of one series in [from, to], oldest first, as an export writes them.</summary>
    Task<IReadOnlyList<Observation>> ReadAsync(SeriesKey series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The latest observation of each indicator at a site, ordered by indicator id.</summary>
    Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken);

    /// <summary>Timestamps of the oldest and newest observation, or null when there are none.</summary>
    Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken);

    /// <summary>Every version of one reading, oldest first; empty when there never was one.</summary>
    Task<IReadOnlyList<ObservationVersion>> HistoryAsync(ObservationKey key, CancellationToken cancellationToken);
}

/// <summary>
/// Read your writes: an accepted observation shows at once, also while it waits in the outbox for InfluxDB. When a
/// series has queued changes in the asked range, its raw readings are read and the queue applied over them (corrections
/// replace, voids remove) before downsampling by the domain's rule; otherwise the store answers alone.
/// </summary>
/// <remarks>
/// The queue is read before the store: a batch the drain confirms in between then shows from both (the same reading
/// twice, merged into one), never from neither.
/// </remarks>
public sealed class ObservationReader(IObservationStore store, PendingChanges pending, IngestJournal journal) : IObservationReader
{
    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken)
    {
        var series = new SeriesKey(query.SiteId, query.IndicatorId);
        var queued = pending.InRange(series, query.From, query.To);
        if (queued.Count == 0) return await store.QueryAsync(query, kind, cancellationToken);

        var stored = await store.ReadAsync(series, query.From, query.To, cancellationToken);
        return Downsampling.Downsample(Merge(stored, queued), query, kind);
    }

    public async Task<IReadOnlyList<Observation>> ReadAsync(SeriesKey series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var queued = pending.InRange(series, from, to);
        var stored = await store.ReadAsync(series, from, to, cancellationToken);
        return queued.Count == 0 ? stored : Merge(stored, queued);
    }

    public async Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken)
    {
        var queuedSeries = pending.SeriesAt(siteId);
        var latest = (await store.LatestAsync(siteId, cancellationToken)).ToDictionary(o => o.IndicatorId, StringComparer.Ordinal);
        foreach (var series in queuedSeries)
        {
            var queued = pending.InRange(series, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            var newestQueued = queued.Where(c => c.Change.Kind != ChangeKind.Void).Select(c => c.Change.Reading).MaxBy(o => o.Timestamp);
            latest.TryGetValue(series.IndicatorId, out var newestStored);
            var storedVoided = newestStored is not null && queued.Any(c => c.Change.Key == newestStored.Key && c.Change.Kind == ChangeKind.Void);

            if (newestStored is not null && !storedVoided && (newestQueued is null || newestStored.Timestamp > newestQueued.Timestamp))
            {
                continue;
            }
            if (newestQueued is not null && (newestStored is null || newestQueued.Timestamp >= newestStored.Timestamp))
            {
                latest[series.IndicatorId] = newestQueued;
                continue;
            }

            // The newest stored reading is voided in the queue: the one before it (or a queued one) is the latest now.
            var earlier = await store.ReadAsync(series, DateTimeOffset.UnixEpoch, newestStored!.Timestamp, cancellationToken);
            var merged = Merge(earlier, queued);
            if (merged.Count > 0) latest[series.IndicatorId] = merged[^1];
            else latest.Remove(series.IndicatorId);
        }
        return latest.Values.OrderBy(o => o.IndicatorId, StringComparer.Ordinal).ToArray();
    }

    public async Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken)
    {
        var queued = pending.Extent();
        var stored = await store.ExtentAsync(cancellationToken);
        if (queued is not { } q) return stored;
        if (stored is null) return new ObservationExtent(q.First, q.Last);
        return new ObservationExtent(q.First < stored.First ? q.First : stored.First, q.Last > stored.Last ? q.Last : stored.Last);
    }

    public async Task<IReadOnlyList<ObservationVersion>> HistoryAsync(ObservationKey key, CancellationToken cancellationToken)
    {
        var queued = pending.At(key);
        var versions = (await store.RevisionsAsync(key, cancellationToken)).ToDictionary(v => v.Sequence);
        if ((await store.FindAsync([key], cancellationToken)).TryGetValue(key, out var current) && !versions.ContainsKey(current.Sequence))
        {
            var batch = journal.FindBatch(current.Sequence);
            versions[current.Sequence] = new ObservationVersion(current.Reading, current.Sequence, batch?.RecordedAt, batch?.RecordedBy);
        }
        foreach (var change in queued)
        {
            // A queued correction carries the version it supersedes, which the store may not hold as a revision yet.
            if (change.Change.Previous is { } previous) versions.TryAdd(previous.Sequence, previous);
            versions[change.Sequence] = change.ToVersion();
        }
        return versions.Values.OrderBy(v => v.Sequence).ToArray();
    }

    /// <summary>Stored readings with queued changes applied in sequence order, sorted by time.</summary>
    private static List<Observation> Merge(IReadOnlyList<Observation> stored, IReadOnlyList<PendingChange> queued)
    {
        var byTime = new SortedDictionary<DateTimeOffset, Observation>();
        foreach (var reading in stored) byTime[reading.Timestamp] = reading;
        foreach (var change in queued.OrderBy(c => c.Sequence))
        {
            if (change.Change.Kind == ChangeKind.Void) byTime.Remove(change.Change.Key.Timestamp);
            else byTime[change.Change.Key.Timestamp] = change.Change.Reading;
        }
        return [.. byTime.Values];
    }
}
