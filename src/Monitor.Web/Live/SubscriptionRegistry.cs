using System.Collections.Concurrent;
using Monitor.Web.Alerts;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// The filters of hub connections that called <c>Subscribe</c>, with each connection's role. Connections without a
/// filter sit in their role's <see cref="EverythingFor"/> group instead, so the common case costs one group send per
/// role, not a scan.
/// </summary>
public sealed class SubscriptionRegistry
{
    private readonly ConcurrentDictionary<string, (SubscriptionFilter Filter, Role Role)> _filtered = new(StringComparer.Ordinal);

    /// <summary>The filtered connections that want observations: listeners that want alerts only cost an observation nothing.</summary>
    private readonly ConcurrentDictionary<string, (SubscriptionFilter Filter, Role Role)> _observing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _connected = new(StringComparer.Ordinal);

    /// <summary>Whether any hub connection is open: with none, there is nothing to forward (a bulk import costs nothing here).</summary>
    public bool HasConnections => !_connected.IsEmpty;

    public void Connected(string connectionId) => _connected[connectionId] = 0;

    public void Disconnected(string connectionId)
    {
        Remove(connectionId);
        _connected.TryRemove(connectionId, out _);
    }

    /// <summary>The group of connections with this role and no filter.</summary>
    public static string EverythingFor(Role role) => "everything:" + role;

    public void Set(string connectionId, SubscriptionFilter filter, Role role)
    {
        _filtered[connectionId] = (filter, role);
        if (filter.Observations) _observing[connectionId] = (filter, role);
        else _observing.TryRemove(connectionId, out _);
    }

    public void Remove(string connectionId)
    {
        _filtered.TryRemove(connectionId, out _);
        _observing.TryRemove(connectionId, out _);
    }

    /// <summary>The filter a connection set with <c>Subscribe</c>, or null when it receives everything its role may see.</summary>
    public SubscriptionFilter? FilterOf(string connectionId) => _filtered.TryGetValue(connectionId, out var entry) ? entry.Filter : null;

    public IReadOnlyList<string> ConnectionsFor(string siteId, string region, Func<Role, bool> maySee) => _observing.IsEmpty
        ? ConnectionIds.None
        : new ConnectionIds(_observing.Where(entry => maySee(entry.Value.Role) && entry.Value.Filter.Matches(siteId, region)).Select(entry => entry.Key).ToArray());

    public IReadOnlyList<string> ConnectionsFor(AlertView alert, Func<Role, bool> maySee) => _filtered.IsEmpty
        ? ConnectionIds.None
        : new ConnectionIds(_filtered.Where(entry => maySee(entry.Value.Role) && entry.Value.Filter.Matches(alert.SiteId, alert.Region, alert.Severity))
            .Select(entry => entry.Key).ToArray());
}
