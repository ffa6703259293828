using Monitor.Web.Alerts;

namespace Monitor.Web.Components.Controls.Readings;

/// <summary>
/// A component's subscription to the active alerts: it re-renders (through <paramref name="changed"/>, which wraps
/// <c>InvokeAsync</c>) whenever an alert starts, changes or ends, so tiles take their new colour without a reload.
/// </summary>
public sealed class AlertWatch(ActiveAlerts alerts, Func<Task> changed) : IDisposable
{
    private readonly IDisposable _subscription = alerts.Subscribe(() => _ = changed());

    /// <summary>The worst active, unsilenced alert of the series, and its no-data alert if one is active.</summary>
    public (AlertView? Worst, AlertView? NoData) For(string siteId, string indicatorId) => (
        alerts.WorstFor(siteId, indicatorId),
        alerts.Current.FirstOrDefault(a => a.NoData && !a.Silenced && a.SiteId == siteId && a.IndicatorId == indicatorId));

    public void Dispose() => _subscription.Dispose();
}
