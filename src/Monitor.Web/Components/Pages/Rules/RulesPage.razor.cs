using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Catalog;
using Monitor.Web.Security;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Rules;

/// <summary>
/// The alert rules in words: what each watches, where, for how long, how urgent, and how many of its alerts are active
/// now (live). Everyone may read them; Coordinators create, edit, switch on and off, and delete them. The rule being
/// edited is in the address (<c>?edit=id</c>, <c>?edit=new</c>), so the back button closes the editor.
/// </summary>
public sealed partial class RulesPage : ComponentBase, IDisposable
{
    private IDisposable? _alertChanges;
    private bool _mayEdit;
    private bool _ready;
    private bool _busy;

    [Inject] private AlertRules Rules { get; set; } = default!;
    [Inject] private ClientAddress Client { get; set; } = default!;
    [Inject] private AlertCommands Commands { get; set; } = default!;
    [Inject] private ActiveAlerts ActiveAlerts { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The rule being edited, <c>new</c> for a new one; none when only the list shows.</summary>
    [SupplyParameterFromQuery(Name = "edit")] public string? Edit { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _alertChanges = ActiveAlerts.Subscribe(() => InvokeAsync(StateHasChanged));
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _mayEdit = (await Authorization.AuthorizeAsync(user, Policies.Coordinator)).Succeeded;
        _ready = true;
    }

    private int ActiveCount(string ruleId) => ActiveAlerts.Current.Count(a => a.RuleId == ruleId);

    private void Open(string edit) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("edit", edit));

    private Task ClosedAsync(AlertRule? saved)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("edit", (string?)null));
        return Task.CompletedTask;
    }

    private async Task SetEnabledAsync(AlertRule rule, bool enabled)
    {
        _busy = true;
        try
        {
            var by = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await Commands.UpdateRuleAsync(rule.Id, RuleInput.From(rule with { Enabled = enabled }), by, Client.Value, CancellationToken.None);
            if (result.Succeeded) Snackbar.Add(L[enabled ? "Rules.Enabled" : "Rules.Disabled", rule.Name], MudBlazor.Severity.Success);
            else Snackbar.Add(result.Message, MudBlazor.Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync(AlertRule rule)
    {
        var active = ActiveCount(rule.Id);
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            L["Rules.DeleteTitle"],
            active > 0 ? L["Rules.DeleteConfirmActive", rule.Name, active] : L["Rules.DeleteConfirm", rule.Name],
            yesText: L["Rules.Delete"], cancelText: L["Admin.Cancel"]);
        if (confirmed != true) return;

        var by = (await Authentication.GetAuthenticationStateAsync()).User;
        var result = await Commands.DeleteRuleAsync(rule.Id, by, Client.Value, CancellationToken.None);
        if (result.Succeeded) Snackbar.Add(L["Rules.Deleted", rule.Name], MudBlazor.Severity.Success);
        else Snackbar.Add(result.Message, MudBlazor.Severity.Error);
        if (Edit == rule.Id) await ClosedAsync(null);
    }

    public void Dispose() => _alertChanges?.Dispose();
}
