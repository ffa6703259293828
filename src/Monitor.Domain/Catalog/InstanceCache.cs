using System.Runtime.CompilerServices;

namespace Monitor.Domain.Catalog;

/// <summary>
/// Lookups by id with a small cache by string instance in front: every reading of a batch names its site and
/// indicator, usually as one string instance per batch, so most lookups compare a reference instead of hashing the id.
/// Entries are immutable and replaced whole, so threads share the cache without locks.
/// </summary>
/// <remarks>
/// Each instance has a set of four entries, and a miss replaces the set's oldest. A batch's few dozen ids then keep their
/// entries for the whole batch: with one entry per set, two ids of a batch that shared it evicted each other at every
/// reading, and a third of the lookups missed.
/// </remarks>
internal sealed class InstanceCache<T>(IReadOnlyDictionary<string, T> all) where T : class
{
    private const int Ways = 4;
    private const int Sets = 512;
    private readonly Entry?[] _entries = new Entry?[Sets * Ways];
    private readonly byte[] _oldest = new byte[Sets];

    public T? Find(string id)
    {
        var set = RuntimeHelpers.GetHashCode(id) & (Sets - 1);
        var first = set * Ways;
        for (var way = first; way < first + Ways; way++)
        {
            if (_entries[way] is { } entry && ReferenceEquals(entry.Id, id)) return entry.Value;
        }
        if (!all.TryGetValue(id, out var value)) return null;
        // Threads that miss at once may replace the same entry: either is valid, so the cache stays right.
        ref var oldest = ref _oldest[set];
        _entries[first + oldest] = new Entry(id, value);
        oldest = (byte)((oldest + 1) % Ways);
        return value;
    }

    private sealed record Entry(string Id, T Value);
}
