using System.Collections;

namespace Monitor.Web.Live;

/// <summary>
/// Hub connection ids to send to, as a list that answers <c>Contains</c> from a hash set. SignalR's
/// <c>SendConnectionsAsync</c> checks every open connection against the list it is given (<c>Enumerable.Contains</c>,
/// which uses <see cref="ICollection{T}.Contains"/> when the list offers it): with a plain array that is connections ×
/// recipients string comparisons per message, 100 million for one alert to 10,000 listeners.
/// </summary>
public sealed class ConnectionIds(IReadOnlyList<string> ids) : IReadOnlyList<string>, ICollection<string>
{
    private readonly HashSet<string> _set = new(ids, StringComparer.Ordinal);

    public static readonly ConnectionIds None = new([]);

    public int Count => ids.Count;

    public bool IsReadOnly => true;

    public string this[int index] => ids[index];

    public bool Contains(string item) => _set.Contains(item);

    public void CopyTo(string[] array, int arrayIndex)
    {
        for (var i = 0; i < ids.Count; i++) array[arrayIndex + i] = ids[i];
    }

    public IEnumerator<string> GetEnumerator() => ids.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<string>.Add(string item) => throw new NotSupportedException();

    void ICollection<string>.Clear() => throw new NotSupportedException();

    bool ICollection<string>.Remove(string item) => throw new NotSupportedException();
}
