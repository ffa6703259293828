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
    /// From now on this connection receives only what concerns <c>regions</c> ∪ <c>siteIds</c>, only alerts of at
    /// least <c>minSeverity</c>, and no observations when <c>observations</c> is false (a listener that wants alerts only).
    /// </summary>
    public async Task Subscribe(SubscriptionRequest? request)
    {
        if (!SubscriptionFilter.TryParseSeverity(request?.MinSeverity, out var minSeverity))
            throw new HubException($"minSeverity must be one of info, warning, critical; '{request?.MinSeverity}' is none of them.");
        var filter = new SubscriptionFilter(request?.Regions, request?.SiteIds, minSeverity, request?.Observations ?? true);
        if (filter.IsEverything)
        {
            // Join the group before dropping the filter, so nothing slips between the two.
            await Groups.AddToGroupAsync(Context.ConnectionId, SubscriptionRegistry.EverythingFor(ConnectionRole));
            subscriptions.Remove(Context.ConnectionId);
            return;
        }

        // Register the filter before leaving the group so nothing slips between the two.
        subscriptions.Set(Context.ConnectionId, filter, ConnectionRole);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SubscriptionRegistry.EverythingFor(ConnectionRole));
    }

    /// <summary>
    /// Every alert change after <paramref name="lastSequence"/> this connection may see under its current filter, oldest
    /// first: at most <c>Alerts__ResumeLimit</c> of them (ask again from the last one returned; an empty answer means
    /// caught up). Changes pushed while this runs may arrive twice: clients de-duplicate by id and sequence.
    /// </summary>
    public async Task<IReadOnlyList<AlertView>> Resume(long lastSequence)
    {
        var filter = subscriptions.FilterOf(Context.ConnectionId);
        var role = ConnectionRole;
        var limit = options.Value.ResumeLimit;
        var visible = new List<AlertView>();
        var after = Math.Max(0, lastSequence);
        // Filter while paging: a filtered client far behind must not get an empty page that looks like "caught up".
        while (visible.Count < limit)
        {
            var page = await alerts.ChangesAfterAsync(after, limit, Context.ConnectionAborted);
            if (page.Count == 0) break;
            visible.AddRange(page.Where(change => !change.Silenced && LiveAccess.MaySee(role, change)
                && (filter is null || filter.Matches(change.SiteId, change.Region, change.Severity))));
            after = page[^1].Sequence;
        }
        return visible.Count > limit ? visible[..limit] : visible;
    }
}
