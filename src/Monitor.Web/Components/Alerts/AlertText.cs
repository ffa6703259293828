using Microsoft.Extensions.Localization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Resources;
using MudBlazor;
using AlertSeverity = Monitor.Domain.Alerts.Severity;

namespace Monitor.Web.Components.Alerts;

/// <summary>How an alert reads on screen: its condition in words, its reading, its colour, and where it stands in a list.</summary>
public static class AlertText
{
    /// <summary>
    /// What needs a person first: unsilenced before silenced, critical before warning before info, firing before pending,
    /// not yet acknowledged before acknowledged, then the longest-running first.
    /// </summary>
    public static IEnumerable<AlertView> InAttentionOrder(this IEnumerable<AlertView> alerts) => alerts
        .OrderBy(a => a.Silenced)
        .ThenByDescending(a => a.Severity)
        .ThenByDescending(a => a.Status == AlertStatus.Firing)
        .ThenBy(a => a.AcknowledgedBy is not null)
        .ThenBy(a => a.FiredAt ?? a.StartedAt)
        .ThenBy(a => a.SiteName, StringComparer.CurrentCulture);

    /// <summary>Firing and not silenced: what the app bar counts and what a person is being told about.</summary>
    public static bool IsLoud(this AlertView alert) => alert.Status == AlertStatus.Firing && !alert.Silenced;

    public static string SeverityName(this AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    public static Color ColorOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => Color.Error,
        AlertSeverity.Warning => Color.Warning,
        _ => Color.Info,
    };

    public static MudBlazor.Severity SnackbarSeverityOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => MudBlazor.Severity.Error,
        AlertSeverity.Warning => MudBlazor.Severity.Warning,
        _ => MudBlazor.Severity.Info,
    };

    public static string Severity(this IStringLocalizer<Strings> l, AlertSeverity severity) => l[$"Alerts.Severity.{severity}"];

    /// <summary>The status as a person reads it: a no-data or flapping alert says so rather than just "firing".</summary>
    public static string Status(this IStringLocalizer<Strings> l, AlertView alert) => alert switch
    {
        { Status: AlertStatus.Resolved } => l["Alerts.Status.Resolved"],
        { NoData: true } => l["Alerts.Status.NoData"],
        { Flapping: true } => l["Alerts.Status.Flapping"],
        { Status: AlertStatus.Pending } => l["Alerts.Status.Pending"],
        _ => l["Alerts.Status.Firing"],
    };

    /// <summary>A stable name for the status, for styling and tests.</summary>
    public static string StatusKey(this AlertView alert) => alert switch
    {
        { Status: AlertStatus.Resolved } => "resolved",
        { NoData: true } => "no-data",
        { Flapping: true } => "flapping",
        { Status: AlertStatus.Pending } => "pending",
        _ => "firing",
    };

    /// <summary>The reading that raised or last changed the alert, with its unit; a no-data alert has none.</summary>
    public static string Reading(this IStringLocalizer<Strings> l, AlertView alert, CatalogSnapshot catalog)
    {
        if (alert.NoData && alert.IsActive) return l["Alerts.NoReport"];
        if (alert.Value is { } value) return ReadingText.Value(value, catalog.FindIndicator(alert.IndicatorId)?.Unit);
        return alert.State is { } state ? l.State(state) : "—";
    }

    /// <summary>When the alert started to matter: firing since it fired, pending since it started.</summary>
    public static DateTimeOffset Since(this AlertView alert) => alert.FiredAt ?? alert.StartedAt;

    public static string SinceLabel(this IStringLocalizer<Strings> l, AlertView alert) =>
        alert.Status == AlertStatus.Pending ? l["Alerts.PendingSince"] : l["Alerts.FiringSince"];

    public static string IndicatorName(this CatalogSnapshot catalog, string indicatorId) => catalog.FindIndicator(indicatorId)?.Name ?? indicatorId;

    /// <summary>A preference in one line: "Critical alerts, everywhere" or "Warning or worse in Anbar, Mosul".</summary>
    public static string Describe(this IStringLocalizer<Strings> l, AlertPreference preference, CatalogSnapshot catalog)
    {
        var places = preference.Regions.Concat(preference.SiteIds.Select(id => catalog.FindSite(id)?.Name ?? id)).ToArray();
        var what = l[$"Alerts.Preferences.AtLeast.{preference.MinSeverity}"];
        return places.Length == 0 ? l["Alerts.Preferences.Everywhere", what] : l["Alerts.Preferences.In", what, string.Join(", ", places)];
    }
}
