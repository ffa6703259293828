using Microsoft.Extensions.DependencyInjection;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;

namespace Monitor.Components.Tests.Infrastructure;

/// <summary>Alerts raised and built as the app does, for tests that need one on screen.</summary>
public static class AlertTestServices
{
    /// <summary>Records an alert change and pushes it, as the engine does after an evaluation.</summary>
    public static async Task<AlertView> RaiseAsync(IServiceProvider services, AlertView alert, DateTimeOffset now)
    {
        var numbered = await services.GetRequiredService<AlertStore>().CommitAsync(new AlertCommit([alert], [], [], []), now, CancellationToken.None);
        await services.GetRequiredService<AlertPush>().PublishAsync(numbered);
        return numbered[0];
    }

    /// <summary>An alert of a rule at a site, firing since <paramref name="startedAt"/> unless said otherwise.</summary>
    public static AlertView Alert(
        string ruleId, string siteId, string indicatorId, Severity severity, DateTimeOffset startedAt,
        AlertStatus status = AlertStatus.Firing, bool noData = false, bool silenced = false, DateTimeOffset? resolvedAt = null, double? value = null) => new(
        Monitor.Domain.Alerts.Alert.IdFor(ruleId, siteId, startedAt, noData), 0, ruleId, $"Rule {ruleId}", siteId, siteId, "Region", indicatorId, severity,
        status, Flapping: false, noData, value, State: null, Message: $"{ruleId} at {siteId}", startedAt,
        FiredAt: status == AlertStatus.Pending ? null : startedAt, resolvedAt, null, null, null, null, silenced);
}
