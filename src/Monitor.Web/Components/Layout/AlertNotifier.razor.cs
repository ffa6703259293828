using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Alerts;
using MudBlazor;

namespace Monitor.Web.Components.Layout;

/// <summary>
/// App-wide: a snackbar for each alert that starts to want attention — it fires, or it is still firing when its
/// acknowledgement or silence ends — and matches the person's preference (regions, sites, minimum severity; without one,
/// every critical alert). With their consent also a chime and, while the tab is in the background, a browser
/// notification. Alerts already firing when the page opens are the alert center's to show, not news.
/// </summary>
public sealed partial class AlertNotifier : ComponentBase, IAsyncDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _gate = new();

    /// <summary>Alerts that want attention now (firing, unsilenced, unacknowledged), as last heard.</summary>
    private readonly HashSet<Guid> _wanting = [];

    private AlertPreference _preference = AlertPreference.Default;
    private IJSObjectReference? _module;

    [Inject] private AlertPush Push { get; set; } = default!;
    [Inject] private ActiveAlerts Active { get; set; } = default!;
    [Inject] private AlertPreferences Preferences { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    public static bool WantsAttention(AlertView alert) => alert.IsLoud() && alert.AcknowledgedBy is null;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        if (AlertPreferences.UserIdOf(user) is not { } userId) return;

        // Listen first, then take what is already active as known, so nothing slips between the two.
        _subscriptions.Add(Push.Subscribe(OnChange));
        _subscriptions.Add(Preferences.Subscribe(userId, preference => _preference = preference));
        await Active.Loaded;
        lock (_gate)
        {
            foreach (var alert in Active.Current.Where(WantsAttention)) _wanting.Add(alert.Id);
        }
        _preference = await Preferences.GetAsync(userId, CancellationToken.None);
    }

    private void OnChange(AlertView change)
    {
        var news = false;
        lock (_gate)
        {
            if (WantsAttention(change)) news = _wanting.Add(change.Id);
            else _wanting.Remove(change.Id);
        }
        if (news && _preference.Matches(change)) _ = InvokeAsync(() => AnnounceAsync(change));
    }

    private async Task AnnounceAsync(AlertView alert)
    {
        var critical = alert.Severity == Monitor.Domain.Alerts.Severity.Critical;
        Snackbar.Add(Message(alert), AlertText.SnackbarSeverityOf(alert.Severity), options =>
        {
            options.Action = L["Alerts.View"];
            options.ActionColor = Color.Inherit;
            options.OnClick = _ =>
            {
                Navigation.NavigateTo("alerts");
                return Task.CompletedTask;
            };
            // A critical alert stays until someone closes it; the others leave after a while.
            options.RequireInteraction = critical;
            options.VisibleStateDuration = 12_000;
        }, key: $"alert-{alert.Id}-{alert.Sequence}");

        var preference = _preference;
        if (!preference.Sound && !preference.BrowserNotifications) return;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", AlertSignals.ModulePath);
            if (preference.Sound) await _module.InvokeVoidAsync("chime", critical);
            if (preference.BrowserNotifications)
            {
                await _module.InvokeAsync<bool>("notify", $"{L.Severity(alert.Severity)} · {alert.SiteName}", alert.Message,
                    alert.Id.ToString(), Navigation.ToAbsoluteUri("alerts").ToString());
            }
        }
        catch (JSException)
        {
            // A browser without audio or notifications still has the snackbar.
        }
        catch (JSDisconnectedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions) subscription.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}
