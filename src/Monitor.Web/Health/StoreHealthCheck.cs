using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Monitor.Web.Observations;

namespace Monitor.Web.Health;

/// <summary>Unhealthy when the observation store does not answer: writes cannot be accepted then.</summary>
public sealed class StoreHealthCheck(IObservationStore store, IOptions<StorageOptions> storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var answers = await store.PingAsync(cancellationToken);
        return answers
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The {storage.Value.Provider} observation store is unreachable; observations cannot be accepted.");
    }
}
