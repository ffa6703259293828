using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations;

/// <summary>
/// Where observations live. Two implementations (embedded SQLite and InfluxDB) pass one contract test suite.
/// Writes are idempotent: (site, indicator, timestamp) identifies an observation, and writing it again replaces it.
/// Timestamps are kept to the millisecond.
/// </summary>
public interface IObservationStore
{
    /// <summary>Creates the database, tables or schema if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores the whole batch or throws; callers have validated it.</summary>
    Task WriteAsync(IReadOnlyList<Observation> batch, CancellationToken cancellationToken);

    /// <summary>Readings of one series in [from, to], downsampled per <see cref="Downsampling"/>, oldest first.</summary>
    Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken);

    /// <summary>The latest observation of each indicator at a site.</summary>
    Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken);

    /// <summary>Timestamps of the oldest and newest observation, or null when the store is empty.</summary>
    Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken);

    /// <summary>Whether the store answers; used by the health check.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

public sealed record ObservationExtent(DateTimeOffset First, DateTimeOffset Last);
