using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// Live push for clients outside the app: observations now, alerts when alerting arrives. Every connection needs at
/// least the Viewer role; anonymous connections are refused at negotiate.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class AlertsHub(SubscriptionRegistry subscriptions) : Hub<IMonitorClient>
{
    public const string Path = "/hubs/alerts";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, SubscriptionRegistry.Everything);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>From now on this connection receives only what concerns <c>regions</c> ∪ <c>siteIds</c>.</summary>
    public async Task Subscribe(SubscriptionRequest? request)
    {
        var filter = new SubscriptionFilter(request?.Regions, request?.SiteIds);
        if (filter.IsEverything)
        {
            subscriptions.Remove(Context.ConnectionId);
            await Groups.AddToGroupAsync(Context.ConnectionId, SubscriptionRegistry.Everything);
            return;
        }

        // Register the filter before leaving the group so no observation slips between the two.
        subscriptions.Set(Context.ConnectionId, filter);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SubscriptionRegistry.Everything);
    }
}
