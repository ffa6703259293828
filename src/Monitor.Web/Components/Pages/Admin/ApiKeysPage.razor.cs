using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Monitor.Web.Security;
using Monitor.Web.Security.ApiKeys;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Admin;

/// <summary>
/// API keys for machines: the ones issued here (create, with the secret shown once; revoke) and, read-only, the ones
/// set in configuration.
/// </summary>
public sealed partial class ApiKeysPage : ComponentBase
{
    private IReadOnlyList<ApiKeySummary>? _keys;

    [Inject] private ApiKeyAdministration Keys { get; set; } = default!;
    [Inject] private ClientAddress Client { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync() => await ReloadAsync();

    private async Task ReloadAsync() => _keys = await Keys.ListAsync();

    private static Color StatusColor(ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => Color.Success,
        ApiKeyStatus.Expired => Color.Warning,
        ApiKeyStatus.Revoked => Color.Error,
        _ => Color.Info,
    };

    private async Task CreateAsync()
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true };
        var dialog = await Dialogs.ShowAsync<CreateApiKeyDialog>(L["ApiKeys.CreateTitle"], options);
        if (await dialog.Result is not { Canceled: false, Data: CreatedApiKey created }) return;

        await ReloadAsync();
        StateHasChanged();
        await SecretDialog.ShowAsync(Dialogs, L["ApiKeys.SecretTitle"], L["ApiKeys.Secret"],
            L["ApiKeys.CreatedMessage", created.Key.Name, L[$"Admin.Role.{created.Key.Role}"]], created.Secret);
    }

    private async Task RevokeAsync(Guid id, string name)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["ApiKeys.RevokeTitle"], L["ApiKeys.RevokeConfirm", name],
            yesText: L["ApiKeys.Revoke"], cancelText: L["Admin.Cancel"]);
        if (confirmed != true) return;

        var actor = (await Authentication.GetAuthenticationStateAsync()).User;
        var result = await Keys.RevokeAsync(id, actor, Client.Value);
        if (result.Succeeded) Snackbar.Add(L["ApiKeys.Revoked", name], Severity.Success);
        else Snackbar.Add(result.Message, Severity.Error);
        await ReloadAsync();
    }
}
