using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Live;

namespace Monitor.Components.Tests.Infrastructure;

/// <summary>Alerting as the app registers it (rules, store, push, engine, commands, active alerts), without starting the engine.</summary>
public static class AlertTestServices
{
    public static IServiceCollection AddAlertServices(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<SubscriptionRegistry>();
        services.AddSingleton(Options.Create(new AlertOptions()));
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        services.AddSingleton<AlertRules>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<AlertPush>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<AlertCommands>();
        services.AddSingleton<ActiveAlerts>();
        return services;
    }

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
