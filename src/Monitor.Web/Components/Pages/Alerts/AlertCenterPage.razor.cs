using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Monitor.Web.Alerts;
using Monitor.Web.Catalog;
using Monitor.Web.Components.Alerts;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Security;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Alerts;

/// <summary>
/// The alert center: what is active now, worst first, as cards that read on a phone; below it the history with
/// filters. Each alert opens its timeline; a Coordinator acknowledges and silences from here. The page follows every
/// pushed change without a reload: the active list from <see cref="ActiveAlerts"/>, the history re-read when a change
/// arrives.
/// </summary>
public sealed partial class AlertCenterPage : ComponentBase, IDisposable
{
    public const int HistoryLimit = 200;

    private readonly List<IDisposable> _subscriptions = [];
    private IReadOnlyList<AlertView> _active = [];
    private IReadOnlyList<AlertView>? _history;
    private IReadOnlyList<string> _regions = [];
    private AlertQuery _filter = new(Limit: HistoryLimit);
    private DateRange? _range;
    private AlertPreference _preference = AlertPreference.Default;
    private string? _userId;
    private bool _canAct;
    private bool _ready;
    private DateTimeOffset _now;
    private AgeClock? _clock;

    /// <summary>Set while a history read is under way; a change arriving meanwhile asks for one more read after it.</summary>
    private bool _reading;
    private bool _readAgain;

    [Inject] private ActiveAlerts Active { get; set; } = default!;
    [Inject] private AlertPush Push { get; set; } = default!;
    [Inject] private AlertStore Store { get; set; } = default!;
    [Inject] private AlertRules Rules { get; set; } = default!;
    [Inject] private AlertPreferences Preferences { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _canAct = user.HighestRole() >= Role.Coordinator;
        _userId = AlertPreferences.UserIdOf(user);
        _regions = Catalog.Current.Sites.Select(s => s.Region).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.CurrentCulture).ToArray();
        _now = Time.GetUtcNow();

        // Listen before reading, so a change between the two is not lost.
        _subscriptions.Add(Active.Subscribe(() => InvokeAsync(ShowActive)));
        _subscriptions.Add(Push.Subscribe(_ => InvokeAsync(ReadHistoryAsync)));
        if (_userId is not null)
        {
            _subscriptions.Add(Preferences.Subscribe(_userId, preference => InvokeAsync(() =>
            {
                _preference = preference;
                StateHasChanged();
            })));
            _preference = await Preferences.GetAsync(_userId, CancellationToken.None);
        }
        _clock = new AgeClock(Time, () => InvokeAsync(() =>
        {
            _now = Time.GetUtcNow();
            StateHasChanged();
        }));

        await Active.Loaded;
        ShowActive();
        await ReadHistoryAsync();
        _ready = true;
    }

    private void ShowActive()
    {
        _active = Active.Current.InAttentionOrder().ToArray();
        _now = Time.GetUtcNow();
        StateHasChanged();
    }

    private sealed record AlertGroup(string Key, string Title, IReadOnlyList<AlertView> Alerts, bool Open);

    /// <summary>
    /// Unsilenced alerts by severity, then the silenced ones. Info and silenced alerts start folded when anything
    /// louder is active, so a phone shows what is critical first rather than a wall of missing reports.
    /// </summary>
    private IEnumerable<AlertGroup> Groups()
    {
        var loudest = _active.Where(a => !a.Silenced).Select(a => a.Severity).DefaultIfEmpty(Domain.Alerts.Severity.Info).Max();
        foreach (var severity in Enum.GetValues<Domain.Alerts.Severity>().Reverse())
        {
            var alerts = _active.Where(a => !a.Silenced && a.Severity == severity).ToArray();
            if (alerts.Length == 0) continue;
            yield return new AlertGroup(severity.SeverityName(), L.Severity(severity), alerts, Open: severity > Domain.Alerts.Severity.Info || loudest == severity);
        }
        var silenced = _active.Where(a => a.Silenced).ToArray();
        if (silenced.Length > 0) yield return new AlertGroup("silenced", L["Alerts.Silenced"], silenced, Open: _active.All(a => a.Silenced));
    }

    private async Task ReadHistoryAsync()
    {
        if (_reading)
        {
            _readAgain = true;
            return;
        }
        _reading = true;
        try
        {
            do
            {
                _readAgain = false;
                _history = await Store.QueryAsync(_filter, CancellationToken.None);
            }
            while (_readAgain);
        }
        finally
        {
            _reading = false;
        }
        StateHasChanged();
    }

    private async Task FilterAsync(AlertQuery filter)
    {
        _filter = filter;
        await ReadHistoryAsync();
    }

    /// <summary>The picker gives local dates; the range is whole UTC days, the end day included.</summary>
    private async Task FilterRangeAsync(DateRange? range)
    {
        _range = range;
        DateTimeOffset? from = range?.Start is { } start ? new DateTimeOffset(start.Date, TimeSpan.Zero) : null;
        DateTimeOffset? to = range?.End is { } end ? new DateTimeOffset(end.Date.AddDays(1), TimeSpan.Zero) : null;
        await FilterAsync(_filter with { From = from, To = to });
    }

    private async Task ShowTimelineAsync(AlertView alert)
    {
        var parameters = new DialogParameters<AlertTimelineDialog> { { d => d.Alert, alert } };
        await Dialogs.ShowAsync<AlertTimelineDialog>(L["Alerts.TimelineOf", alert.SiteName, alert.RuleName], parameters, DialogOptions);
    }

    private async Task AcknowledgeAsync(AlertView alert)
    {
        var parameters = new DialogParameters<AcknowledgeDialog> { { d => d.Alert, alert } };
        var dialog = await Dialogs.ShowAsync<AcknowledgeDialog>(L["Alerts.AcknowledgeTitle", alert.SiteName], parameters, DialogOptions);
        if (await dialog.Result is { Canceled: false }) Snackbar.Add(L["Alerts.AcknowledgedMessage", alert.SiteName], Severity.Success);
    }

    private async Task SilenceAsync(AlertView alert)
    {
        var parameters = new DialogParameters<SilenceDialog> { { d => d.Alert, alert } };
        var dialog = await Dialogs.ShowAsync<SilenceDialog>(L["Alerts.SilenceTitle"], parameters, DialogOptions);
        if (await dialog.Result is { Canceled: false }) Snackbar.Add(L["Alerts.SilencedMessage"], Severity.Success);
    }

    private async Task EditPreferencesAsync()
    {
        var parameters = new DialogParameters<AlertPreferencesDialog> { { d => d.UserId, _userId! }, { d => d.Preference, _preference } };
        var dialog = await Dialogs.ShowAsync<AlertPreferencesDialog>(L["Alerts.Preferences.Title"], parameters, DialogOptions);
        if (await dialog.Result is { Canceled: false, Data: AlertPreference saved })
        {
            _preference = saved;
            Snackbar.Add(L["Alerts.Preferences.Saved"], Severity.Success);
        }
    }

    private static DialogOptions DialogOptions => new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    public void Dispose()
    {
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _clock?.Dispose();
    }
}
