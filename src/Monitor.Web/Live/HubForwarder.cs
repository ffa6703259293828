using Microsoft.AspNetCore.SignalR;
using Monitor.Web.Observations;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>Relays stored observations from the in-process feed to hub connections, honouring their roles and filters.</summary>
public sealed class HubForwarder(ObservationFeed feed, SubscriptionRegistry subscriptions, IHubContext<AlertsHub, IMonitorClient> hub)
    : IHostedService
{
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Subscribe(ForwardAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private async Task ForwardAsync(IReadOnlyList<RecordedObservation> batch)
    {
        foreach (var observation in batch)
        {
            var groups = Roles.Where(role => LiveAccess.MaySee(role, observation)).Select(SubscriptionRegistry.EverythingFor).ToArray();
            if (groups.Length > 0) await hub.Clients.Groups(groups).ObservationRecorded(observation);
            var filtered = subscriptions.ConnectionsFor(observation.SiteId, observation.Region, role => LiveAccess.MaySee(role, observation));
            if (filtered.Count > 0) await hub.Clients.Clients(filtered).ObservationRecorded(observation);
        }
    }
}
