using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations;

/// <summary>
/// Where observations live. Two implementations (embedded SQLite and InfluxDB) pass one contract test suite. The store
/// holds the current reading of each (site, indicator, timestamp) — what charts draw — and the earlier versions that
/// corrections and voids superseded. Only the ingest pipeline writes to it (<see cref="ApplyAsync"/>); everything
/// else reads through <see cref="Reading.IObservationReader"/>, which adds what is still queued. Timestamps are kept
/// to the millisecond.
/// </summary>
public interface IObservationStore
{
    /// <summary>Creates the database, tables or schema if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies committed batches in sequence order. Applying a batch again changes nothing, so a write cut short may
    /// simply be repeated.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken);

    /// <summary>The current readings at these keys (absent keys have none), each with the sequence of the batch that recorded it.</summary>
    Task<IReadOnlyDictionary<ObservationKey, StoredReading>> FindAsync(IReadOnlyCollection<ObservationKey> keys, CancellationToken cancellationToken);

    /// <summary>Every version kept for a reading that was corrected or voided, oldest first; empty for one never corrected.</summary>
    Task<IReadOnlyList<ObservationVersion>> RevisionsAsync(ObservationKey key, CancellationToken cancellationToken);

    /// <summary>The current readings of one series in [from, to], oldest first.</summary>
    Task<IReadOnlyList<Observation>> ReadAsync(SeriesKey series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Readings of one series in [from, to], downsampled per <see cref="Downsampling"/>, oldest first.</summary>
    Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken);

    /// <summary>The latest observation of each indicator at a site.</summary>
    Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken);

    /// <summary>Timestamps of the oldest and newest observation, or null when the store is empty.</summary>
    Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken);

    /// <summary>The newest timestamp of every series: anything newer cannot collide with a stored reading.</summary>
    Task<IReadOnlyDictionary<SeriesKey, DateTimeOffset>> NewestAsync(CancellationToken cancellationToken);

    /// <summary>Whether the store answers; used by the health check.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

public sealed record ObservationExtent(DateTimeOffset First, DateTimeOffset Last);

/// <summary>A current reading and the ingest sequence of the batch that recorded it (0 when unknown).</summary>
public sealed record StoredReading(Observation Reading, long Sequence);
