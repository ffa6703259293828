using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// Live push for clients outside the app: observations now, alerts when alerting arrives. Every connection needs at
/// least the Viewer role (a browser by its login cookie, a program by its API key); anonymous connections are refused at
/// negotiate. What a connection receives is what <see cref="LiveAccess"/> lets its role see. A method that needs more
/// than Viewer carries its own <c>[Authorize(Policy = …)]</c>; the hub's role-matrix test covers it by reflection.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class AlertsHub(SubscriptionRegistry subscriptions) : Hub<IMonitorClient>
{
    public const string Path = "/hubs/alerts";

    // The hub's policy admits only principals holding a role, so a connection always has one.
    private Role ConnectionRole => Context.User.HighestRole() ?? throw new HubException("This connection has no role.");

    public override async Task OnConnectedAsync()
    {
        subscriptions.Connected(Context.ConnectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, SubscriptionRegistry.EverythingFor(ConnectionRole));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>From now on this connection receives only what concerns <c>regions</c> ∪ <c>siteIds</c>.</summary>
    public async Task Subscribe(SubscriptionRequest? request)
    {
        var filter = new SubscriptionFilter(request?.Regions, request?.SiteIds);
        if (filter.IsEverything)
        {
            subscriptions.Remove(Context.ConnectionId);
            await Groups.AddToGroupAsync(Context.ConnectionId, SubscriptionRegistry.EverythingFor(ConnectionRole));
            return;
        }

        // Register the filter before leaving the group so no observation slips between the two.
        subscriptions.Set(Context.ConnectionId, filter, ConnectionRole);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SubscriptionRegistry.EverythingFor(ConnectionRole));
    }
}
