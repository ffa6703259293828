using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// A table by series with a cache by the ids' string instances in front of it: readings that passed validation carry
/// the catalog's own id strings, and on the ingest path every reading is looked up this way several times. Not
/// thread-safe; its owners use it under their own lock.
/// </summary>
internal sealed class SeriesTable<T> where T : class
{
    private readonly Dictionary<SeriesKey, T> _values = [];
    private readonly InstanceCache<T> _recent = new();

    /// <summary>Every series and its value.</summary>
    public IReadOnlyDictionary<SeriesKey, T> All => _values;

    public T? Find(string siteId, string indicatorId)
    {
        if (_recent.Find(siteId, indicatorId) is { } recent) return recent;
        if (!_values.TryGetValue(new SeriesKey(siteId, indicatorId), out var value)) return null;
        _recent.Remember(siteId, indicatorId, value);
        return value;
    }

    /// <summary>Adds a series not in the table yet, and returns its value.</summary>
    public T Add(string siteId, string indicatorId, T value)
    {
        _values.Add(new SeriesKey(siteId, indicatorId), value);
        _recent.Remember(siteId, indicatorId, value);
        return value;
    }

    public void Remove(SeriesKey series)
    {
        if (!_values.Remove(series)) return;
        // Forgetting every cached instance is simpler than finding the series' own, and refilled in a few lookups.
        _recent.Clear();
    }

    public void Clear()
    {
        _values.Clear();
        _recent.Clear();
    }
}
