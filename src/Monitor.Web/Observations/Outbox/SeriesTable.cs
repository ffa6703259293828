using System.Runtime.CompilerServices;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// A table by series with a small cache by the ids' string instances in front of it. Readings that passed validation
/// carry the catalog's own id strings, so looking up their series is usually two reference comparisons instead of
/// hashing two strings: on the ingest path every reading is looked up this way several times. Not thread-safe; its
/// owners use it under their own lock.
/// </summary>
internal sealed class SeriesTable<T> where T : class
{
    private const int CacheSlots = 256;

    private readonly Dictionary<SeriesKey, T> _values = [];
    private readonly Recent[] _recent = new Recent[CacheSlots];

    /// <summary>Every series and its value.</summary>
    public IReadOnlyDictionary<SeriesKey, T> All => _values;

    public T? Find(string siteId, string indicatorId)
    {
        ref var recent = ref _recent[Slot(siteId, indicatorId)];
        if (ReferenceEquals(recent.SiteId, siteId) && ReferenceEquals(recent.IndicatorId, indicatorId)) return recent.Value;
        if (!_values.TryGetValue(new SeriesKey(siteId, indicatorId), out var value)) return null;
        recent = new Recent(siteId, indicatorId, value);
        return value;
    }

    /// <summary>Adds a series not in the table yet, and returns its value.</summary>
    public T Add(string siteId, string indicatorId, T value)
    {
        _values.Add(new SeriesKey(siteId, indicatorId), value);
        _recent[Slot(siteId, indicatorId)] = new Recent(siteId, indicatorId, value);
        return value;
    }

    public void Remove(SeriesKey series)
    {
        if (!_values.Remove(series)) return;
        // Rare (a series written on in full): forgetting every cached instance is simpler than finding the series' own.
        Array.Clear(_recent);
    }

    public void Clear()
    {
        _values.Clear();
        Array.Clear(_recent);
    }

    private static int Slot(string siteId, string indicatorId) =>
        (RuntimeHelpers.GetHashCode(siteId) * 31 + RuntimeHelpers.GetHashCode(indicatorId)) & (CacheSlots - 1);

    private readonly record struct Recent(string? SiteId, string? IndicatorId, T? Value);
}
