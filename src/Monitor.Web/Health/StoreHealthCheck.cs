using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Web.Health;

/// <summary>
/// Healthy when the store answers and nothing waits; Degraded while InfluxDB is unreachable or the outbox lags (writes are
/// still accepted and kept on disk); Unhealthy when writes cannot be accepted: the outbox is full, or the embedded
/// store does not answer.
/// </summary>
public sealed class StoreHealthCheck(IObservationStore store, StorageStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var answers = await store.PingAsync(cancellationToken);
        if (!status.Queues)
        {
            return answers
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The embedded observation store does not answer; observations cannot be accepted.");
        }

        if (answers) status.Reachable();
        else status.Unreachable("no answer to ping");
        var now = status.Current;
        var backlog = string.Create(CultureInfo.InvariantCulture,
            $"{now.Backlog} observations queued{(now.BacklogAge is { } age ? $", the oldest for {age.TotalSeconds:0} s" : "")}");
        var data = new Dictionary<string, object>
        {
            ["backlog"] = now.Backlog,
            ["backlogAgeSeconds"] = now.BacklogAge?.TotalSeconds ?? 0,
        };
        if (now.IsFull)
            return HealthCheckResult.Unhealthy($"The write queue is full ({backlog}); new observations are refused until InfluxDB catches up.", data: data);
        if (now.UnreachableSince is { } since)
            return HealthCheckResult.Degraded(
                $"InfluxDB unreachable since {since:yyyy-MM-dd'T'HH:mm:ss'Z'}; {backlog} on disk, nothing lost.", data: data);
        if (now.IsDegraded)
            return HealthCheckResult.Degraded($"InfluxDB is behind: {backlog}.", data: data);
        return HealthCheckResult.Healthy(backlog, data);
    }
}
