using Microsoft.AspNetCore.SignalR;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// Relays committed batches from the in-process feed to hub connections, in sequence order, honouring their roles and
/// filters. One batch is one delivery from the feed; hub clients receive each of its observations.
/// </summary>
public sealed partial class HubForwarder(
    ObservationFeed feed, SubscriptionRegistry subscriptions, IHubContext<AlertsHub, IMonitorClient> hub, ILogger<HubForwarder> logger)
    : IHostedService
{
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Subscribe(ForwardAsync, name: "hub");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private async Task ForwardAsync(FeedMessage message)
    {
        if (!subscriptions.HasConnections) return;
        if (message is not FeedBatch batch)
        {
            // Remote clients re-read on their own schedule; live charts there take the next observation as usual.
            LogSkipped(message.Sequence);
            return;
        }

        // Awaited one by one: each send only queues the message on its connections, and order per connection is kept.
        foreach (var observation in batch.Observations)
        {
            var groups = Roles.Where(role => LiveAccess.MaySee(role, observation)).Select(SubscriptionRegistry.EverythingFor).ToArray();
            if (groups.Length > 0) await hub.Clients.Groups(groups).ObservationRecorded(observation);
            var filtered = subscriptions.ConnectionsFor(observation.SiteId, observation.Region, role => LiveAccess.MaySee(role, observation));
            if (filtered.Count > 0) await hub.Clients.Clients(filtered).ObservationRecorded(observation);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Hub clients were not told to resync at sequence {Sequence}; they receive the next batches as usual.")]
    private partial void LogSkipped(long sequence);
}
