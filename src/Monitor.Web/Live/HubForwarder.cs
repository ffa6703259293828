using Microsoft.AspNetCore.SignalR;
using Monitor.Web.Observations;

namespace Monitor.Web.Live;

/// <summary>Relays stored observations from the in-process feed to hub connections, honouring their filters.</summary>
public sealed class HubForwarder(ObservationFeed feed, SubscriptionRegistry subscriptions, IHubContext<AlertsHub, IMonitorClient> hub)
    : IHostedService
{
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
            await hub.Clients.Group(SubscriptionRegistry.Everything).ObservationRecorded(observation);
            var filtered = subscriptions.ConnectionsFor(observation.SiteId, observation.Region);
            if (filtered.Count > 0) await hub.Clients.Clients(filtered).ObservationRecorded(observation);
        }
    }
}
