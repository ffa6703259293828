using System.Runtime.CompilerServices;

namespace Monitor.Domain.Catalog;

/// <summary>
/// Lookups by id with a small cache by string instance in front: every reading of a batch names its site and
/// indicator, usually as one string instance per batch, so most lookups compare a reference instead of hashing the id.
/// Entries are immutable and replaced whole, so threads share the cache without locks.
/// </summary>
internal sealed class InstanceCache<T>(IReadOnlyDictionary<string, T> all) where T : class
{
    private const int Slots = 128;
    private readonly Entry?[] _entries = new Entry?[Slots];

    public T? Find(string id)
    {
        var slot = RuntimeHelpers.GetHashCode(id) & (Slots - 1);
        if (_entries[slot] is { } entry && ReferenceEquals(entry.Id, id)) return entry.Value;
        if (!all.TryGetValue(id, out var value)) return null;
        _entries[slot] = new Entry(id, value);
        return value;
    }

    private sealed record Entry(string Id, T Value);
}
