using System.Collections.Concurrent;

namespace Monitor.Web.Live;

/// <summary>
/// The filters of hub connections that called <c>Subscribe</c>. Connections without a filter sit in the
/// <see cref="Everything"/> group instead, so the common case costs one group send, not a scan.
/// </summary>
public sealed class SubscriptionRegistry
{
    public const string Everything = "everything";

    private readonly ConcurrentDictionary<string, SubscriptionFilter> _filtered = new(StringComparer.Ordinal);

    public void Set(string connectionId, SubscriptionFilter filter) => _filtered[connectionId] = filter;

    public void Remove(string connectionId) => _filtered.TryRemove(connectionId, out _);

    public IReadOnlyList<string> ConnectionsFor(string siteId, string region) =>
        _filtered.Where(entry => entry.Value.Matches(siteId, region)).Select(entry => entry.Key).ToArray();
}
