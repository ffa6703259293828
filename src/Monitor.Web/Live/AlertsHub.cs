using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Monitor.Web.Alerts;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// Live push for clients outside the app: alert changes and observations. Every connection needs at
/// least the Viewer role (a browser by its login cookie, a program by its API key); anonymous connections are refused at
/// negotiate. What a connection receives is what <see cref="LiveAccess"/> lets its role see. A method that needs more
/// than Viewer carries its own <c>[Authorize(Policy = …)]</c>; the hub's role-matrix test covers it by reflection.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class AlertsHub(SubscriptionRegistry subscriptions, AlertStore alerts, IOptions<AlertOptions> options) : Hub<IMonitorClient>
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

    /// <summary>
    /// From now on this connection receives only what concerns <c>regions</c> ∪ <c>siteIds</c>, and only alerts of at
    /// least <c>minSeverity</c>.
    /// </summary>
    public async Task Subscribe(SubscriptionRequest? request)
    {
        if (!SubscriptionFilter.TryParseSeverity(request?.MinSeverity, out var minSeverity))
            throw new HubException($"minSeverity must be one of info, warning, critical; '{request?.MinSeverity}' is none of them.");
        var filter = new SubscriptionFilter(request?.Regions, request?.SiteIds, minSeverity);
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

    /// <summary>
    /// Every alert change after <paramref name="lastSequence"/> this connection may see under its current filter, oldest
    /// first (at most <c>Alerts__ResumeLimit</c>; ask again from the last one returned). Changes pushed while this runs
    /// may arrive twice: clients de-duplicate by id and sequence.
    /// </summary>
    public async Task<IReadOnlyList<AlertView>> Resume(long lastSequence)
    {
        var filter = subscriptions.FilterOf(Context.ConnectionId);
        var role = ConnectionRole;
        var changes = await alerts.ChangesAfterAsync(Math.Max(0, lastSequence), options.Value.ResumeLimit, Context.ConnectionAborted);
        return changes
            .Where(change => !change.Silenced && LiveAccess.MaySee(role, change)
                && (filter is null || filter.Matches(change.SiteId, change.Region, change.Severity)))
            .ToArray();
    }
}
