using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// The newest timestamp recorded (stored or queued) for each series. A reading newer than its series' horizon cannot
/// collide with history, so the history guard asks InfluxDB only about backdated readings — the rare case — and
/// ordinary reports are accepted without a round trip, also during an outage.
/// </summary>
/// <remarks>
/// Raised on every commit and merged with the store's answer once it is reachable; until then it is unknown and every
/// reading counts as possibly backdated. Assumes this app is the only writer of its database, as
/// docs/influxdb-schema.md says.
/// </remarks>
public sealed class SeriesHorizon
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SeriesKey, DateTimeOffset> _newest = [];

    public bool IsKnown { get; private set; }

    /// <summary>The keys of a batch at which a reading might already exist (at or before their series' horizon, or unknown), under one lock.</summary>
    public IReadOnlyList<ObservationKey> MayExist(IEnumerable<ObservationKey> keys)
    {
        lock (_gate) return keys.Where(key => !IsKnown || (_newest.TryGetValue(key.Series, out var newest) && key.Timestamp <= newest)).ToArray();
    }

    public void Raise(IEnumerable<ObservationKey> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys) RaiseLocked(key.Series, key.Timestamp);
        }
    }

    /// <summary>Merges in the store's newest timestamps; from then on the horizon is known.</summary>
    public void Load(IReadOnlyDictionary<SeriesKey, DateTimeOffset> stored)
    {
        lock (_gate)
        {
            foreach (var (series, newest) in stored) RaiseLocked(series, newest);
            IsKnown = true;
        }
    }

    private void RaiseLocked(SeriesKey series, DateTimeOffset timestamp)
    {
        if (!_newest.TryGetValue(series, out var newest) || timestamp > newest) _newest[series] = timestamp;
    }
}
