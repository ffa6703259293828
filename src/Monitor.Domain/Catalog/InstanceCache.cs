using System.Runtime.CompilerServices;

namespace Monitor.Domain.Catalog;

/// <summary>
/// Values by the string instances of one or two catalog ids (a site, an indicator, or the pair of a series). Every
/// reading of a batch names its site and indicator with the same few instances (its request's, or once checked, the
/// catalog's own), so most lookups compare references instead of hashing ids. A miss says nothing: the caller asks its
/// own table and remembers the answer. Entries are immutable and replaced whole, so threads share a cache without locks.
/// </summary>
/// <remarks>
/// Each pair of instances has a set of four entries, and a miss replaces the set's oldest. A batch's few dozen ids then
/// keep their entries for the whole batch: with one entry per set, two ids of a batch that shared it evicted each other
/// at every reading, and a third of the lookups missed.
/// </remarks>
public sealed class InstanceCache<T> where T : class
{
    private const int Ways = 4;
    private const int Sets = 512;
    private readonly Entry?[] _entries = new Entry?[Sets * Ways];
    private readonly byte[] _oldest = new byte[Sets];

    public T? Find(string first, string? second = null)
    {
        var start = Set(first, second) * Ways;
        for (var way = start; way < start + Ways; way++)
        {
            if (_entries[way] is { } entry && ReferenceEquals(entry.First, first) && ReferenceEquals(entry.Second, second)) return entry.Value;
        }
        return null;
    }

    public void Remember(string first, string? second, T value)
    {
        // Threads that remember at once may replace the same entry: either is valid, so the cache stays right.
        var set = Set(first, second);
        ref var oldest = ref _oldest[set];
        _entries[set * Ways + oldest] = new Entry(first, second, value);
        oldest = (byte)((oldest + 1) % Ways);
    }

    public void Clear() => Array.Clear(_entries);

    private static int Set(string first, string? second) =>
        (RuntimeHelpers.GetHashCode(first) * 31 + (second is null ? 0 : RuntimeHelpers.GetHashCode(second))) & (Sets - 1);

    private sealed record Entry(string First, string? Second, T Value);
}
