using System.Runtime.CompilerServices;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// A table by series with a <see cref="SeriesInstanceCache{T}"/> in front of it. Not thread-safe; its owners use it
/// under their own lock.
/// </summary>
internal sealed class SeriesTable<T> where T : class
{
    private readonly Dictionary<SeriesKey, T> _values = [];
    private readonly SeriesInstanceCache<T> _recent = new();

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

/// <summary>
/// A small cache of a value per series by the string instances of its ids. Readings that passed validation carry the
/// catalog's own id strings, so looking up their series is usually two reference comparisons instead of hashing two
/// strings: on the ingest path every reading is looked up this way several times. A miss says nothing; the caller asks
/// its own table then. Not thread-safe.
/// </summary>
internal sealed class SeriesInstanceCache<T> where T : class
{
    // Four entries per set, the oldest replaced on a miss (as in the catalog's cache by instance): a batch's series
    // keep their entries for the whole batch instead of evicting each other reading by reading.
    private const int Ways = 4;
    private const int Sets = 128;
    private readonly Recent[] _recent = new Recent[Sets * Ways];
    private readonly byte[] _oldest = new byte[Sets];

    public T? Find(string siteId, string indicatorId)
    {
        var first = Set(siteId, indicatorId) * Ways;
        for (var way = first; way < first + Ways; way++)
        {
            ref var recent = ref _recent[way];
            if (ReferenceEquals(recent.SiteId, siteId) && ReferenceEquals(recent.IndicatorId, indicatorId)) return recent.Value;
        }
        return null;
    }

    public void Remember(string siteId, string indicatorId, T value)
    {
        var set = Set(siteId, indicatorId);
        ref var oldest = ref _oldest[set];
        _recent[set * Ways + oldest] = new Recent(siteId, indicatorId, value);
        oldest = (byte)((oldest + 1) % Ways);
    }

    public void Clear() => Array.Clear(_recent);

    private static int Set(string siteId, string indicatorId) =>
        (RuntimeHelpers.GetHashCode(siteId) * 31 + RuntimeHelpers.GetHashCode(indicatorId)) & (Sets - 1);

    private readonly record struct Recent(string? SiteId, string? IndicatorId, T? Value);
}
