using Microsoft.AspNetCore.SignalR;
using Monitor.Web.Live;
using Monitor.Web.Security;

namespace Monitor.Web.Alerts;

/// <summary>
/// Delivers committed alert changes, in sequence order: to pages of this app (every change, silenced ones too, since
/// the alert center lists them) and to hub connections (<c>AlertChanged</c>, honouring roles, filters and minimum
/// severity; silenced alerts are recorded but not pushed).
/// </summary>
public sealed partial class AlertPush(
    IHubContext<AlertsHub, IMonitorClient> hub, SubscriptionRegistry subscriptions, ILogger<AlertPush> logger)
{
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    private readonly Lock _gate = new();
    private Action<AlertView>[] _listeners = [];

    /// <summary>Calls <paramref name="listener"/> for each change; it must return quickly (post to its own dispatcher).</summary>
    public IDisposable Subscribe(Action<AlertView> listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Unsubscriber(this, listener);
    }

    public async Task PublishAsync(IReadOnlyList<AlertView> changes)
    {
        foreach (var change in changes)
        {
            foreach (var listener in Volatile.Read(ref _listeners))
            {
                try
                {
                    listener(change);
                }
                catch (Exception ex)
                {
                    LogListenerFailed(ex, change.Sequence);
                }
            }

            if (change.Silenced || !subscriptions.HasConnections) continue;
            var groups = Roles.Where(role => LiveAccess.MaySee(role, change)).Select(SubscriptionRegistry.EverythingFor).ToArray();
            if (groups.Length > 0) await hub.Clients.Groups(groups).AlertChanged(change);
            var filtered = subscriptions.ConnectionsFor(change, role => LiveAccess.MaySee(role, change));
            if (filtered.Count > 0) await hub.Clients.Clients(filtered).AlertChanged(change);
        }
    }

    [LoggerMessage(LogLevel.Warning, "A page's alert listener failed on change {Sequence}.")]
    private partial void LogListenerFailed(Exception exception, long sequence);

    private sealed class Unsubscriber(AlertPush push, Action<AlertView> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (push._gate) push._listeners = push._listeners.Where(l => l != listener).ToArray();
        }
    }
}
