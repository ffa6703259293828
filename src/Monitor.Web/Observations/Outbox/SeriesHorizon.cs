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

    /// <summary>
    /// The keys of a batch's readings that are not queued (<paramref name="queued"/> null at their index) and at which a
    /// reading might already exist, under one lock; usually none, and then nothing is allocated.
    /// </summary>
    public IReadOnlyList<ObservationKey> MayExist(IReadOnlyList<Observation> readings, IReadOnlyList<PendingChange?> queued)
    {
        List<ObservationKey>? found = null;
        lock (_gate)
        {
            for (var i = 0; i < readings.Count; i++)
            {
                if (queued[i] is not null) continue;
                var reading = readings[i];
                if (!IsKnown || (_newest.TryGetValue(new SeriesKey(reading.SiteId, reading.IndicatorId), out var newest) && reading.Timestamp <= newest))
                    (found ??= []).Add(reading.Key);
            }
        }
        return found ?? (IReadOnlyList<ObservationKey>)[];
    }

    /// <summary>Raises the horizon of each series to the newest reading the changes record (voids withdraw, and so do not count).</summary>
    public void Raise(IReadOnlyList<ObservationChange> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (change.Kind != ChangeKind.Void) RaiseLocked(new SeriesKey(change.Reading.SiteId, change.Reading.IndicatorId), change.Reading.Timestamp);
            }
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
