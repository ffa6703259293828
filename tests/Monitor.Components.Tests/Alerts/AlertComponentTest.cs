using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using MudBlazor;
using Severity = Monitor.Domain.Alerts.Severity;

namespace Monitor.Components.Tests.Alerts;

/// <summary>
/// The component context with the app's real alerting behind it: rules, the engine evaluating every reading written
/// through the ingest path, the store, the push and the in-memory active alerts. Alerts are raised the way the app
/// raises them, by readings that breach a rule; only the clock is fake (no sweep runs unless a test moves it).
/// </summary>
public abstract class AlertComponentTest : MonitorComponentTest
{
    public const string CoordinatorName = "coordinator@x";

    protected AlertComponentTest()
    {
        DialogProvider = Render<MudDialogProvider>();
        SnackbarProvider = Render<MudSnackbarProvider>();
    }

    /// <summary>The last day of the scenario, an hour before the components' now.</summary>
    protected static readonly DateTimeOffset Evening = new(2014, 6, 28, 19, 0, 0, TimeSpan.Zero);

    protected IRenderedComponent<MudDialogProvider> DialogProvider { get; }

    protected IRenderedComponent<MudSnackbarProvider> SnackbarProvider { get; }

    protected AlertEngine Engine => Services.GetRequiredService<AlertEngine>();

    protected ActiveAlerts Active => Services.GetRequiredService<ActiveAlerts>();

    protected AlertCommands Commands => Services.GetRequiredService<AlertCommands>();

    protected AlertPreferences Preferences => Services.GetRequiredService<AlertPreferences>();

    protected static ClaimsPrincipal Setup { get; } = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "setup@x")], "test"));

    protected void SignIn(string name, string role)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetRoles(role);
    }

    /// <summary>Starts the engine (as the host would) and waits until it has read its state back.</summary>
    protected async Task StartAlertingAsync()
    {
        await Engine.StartAsync(CancellationToken.None);
        await Engine.Ready;
        await Active.Loaded;
    }

    protected async Task<AlertRule> CreateRuleAsync(
        string name, string indicatorId, RuleOperator op, Severity severity, double? threshold = null, IReadOnlyList<string>? states = null,
        TimeSpan? forPeriod = null, string? siteId = null)
    {
        var result = await Commands.CreateRuleAsync(
            new RuleInput(null, name, indicatorId, siteId, null, op, threshold, null, states, null, forPeriod, null, severity, true),
            Setup, remoteIp: null, CancellationToken.None);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    /// <summary>The active alert at a site, once the engine has raised it.</summary>
    protected async Task<AlertView> ActiveAtAsync(string siteId)
    {
        AlertView? found = null;
        await EventuallyAsync(() => found = Assert.Single(Active.Current, a => a.SiteId == siteId));
        return found!;
    }

    protected Task StationsCriticalAsync() =>
        CreateRuleAsync("Fuel stations open below 30 %", "fuel.stations_open_pct", RuleOperator.Below, Severity.Critical, threshold: 30);

    protected Task BorderClosedWarningAsync() =>
        CreateRuleAsync("Border crossing closed", "border.status", RuleOperator.In, Severity.Warning, states: ["closed"]);

    protected Task RefineryOfflinePendingAsync() =>
        CreateRuleAsync("Refinery offline for 6 h", "refinery.status", RuleOperator.In, Severity.Warning, states: ["offline"], forPeriod: TimeSpan.FromHours(6));
}
