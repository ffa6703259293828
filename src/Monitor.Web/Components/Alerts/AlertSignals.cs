namespace Monitor.Web.Components.Alerts;

/// <summary>The JavaScript module behind the chime and browser notifications (beside the notifier component).</summary>
public static class AlertSignals
{
    public const string ModulePath = "./Components/Layout/AlertNotifier.razor.js";
}
