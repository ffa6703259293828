using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Monitor.Web.Accounts;
using Monitor.Web.Security;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Admin;

/// <summary>
/// Accounts for admins: create one (its one-time password is shown once), set its role, disable or enable it, reset
/// its password. The service enforces the rules (no self-demotion, never without an admin); the page reports them.
/// </summary>
public sealed partial class UsersPage : ComponentBase
{
    private IReadOnlyList<UserSummary>? _users;

    [Inject] private UserAdministration Users { get; set; } = default!;
    [Inject] private ClientAddress Client { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync() => await ReloadAsync();

    private async Task ReloadAsync() => _users = await Users.ListAsync();

    private async Task<ClaimsPrincipal> ActorAsync() => (await Authentication.GetAuthenticationStateAsync()).User;

    private async Task CreateAsync()
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true };
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>(L["Users.CreateTitle"], options);
        if (await dialog.Result is not { Canceled: false, Data: OneTimePassword created }) return;

        await ReloadAsync();
        StateHasChanged();
        await SecretDialog.ShowAsync(Dialogs, L["Users.PasswordTitle"], L["Users.OneTimePassword"],
            L["Users.CreatedMessage", created.User.Email], created.Password);
    }

    private async Task SetRoleAsync(UserSummary user, Role? role)
    {
        if (role is null || role == user.Role) return;
        var result = await Users.SetRoleAsync(user.Id, role.ToString(), await ActorAsync(), Client.Value);
        Report(result, L["Users.RoleChanged", user.Email, L[$"Admin.Role.{role}"]]);
        await ReloadAsync();
    }

    private async Task SetDisabledAsync(UserSummary user, bool disabled)
    {
        var result = await Users.SetDisabledAsync(user.Id, disabled, await ActorAsync(), Client.Value);
        Report(result, disabled ? L["Users.DisabledMessage", user.Email] : L["Users.EnabledMessage", user.Email]);
        await ReloadAsync();
    }

    private async Task ResetPasswordAsync(UserSummary user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Users.ResetTitle"], L["Users.ResetConfirm", user.Email],
            yesText: L["Users.ResetPassword"], cancelText: L["Admin.Cancel"]);
        if (confirmed != true) return;

        var result = await Users.ResetPasswordAsync(user.Id, await ActorAsync(), Client.Value);
        if (result.Value is not { } reset)
        {
            Report(result, "");
            return;
        }
        await ReloadAsync();
        StateHasChanged();
        await SecretDialog.ShowAsync(Dialogs, L["Users.PasswordTitle"], L["Users.OneTimePassword"],
            L["Users.ResetMessage", user.Email], reset.Password);
    }

    private void Report(AdminResult result, string success)
    {
        if (result.Succeeded) Snackbar.Add(success, Severity.Success);
        else Snackbar.Add(result.Message, Severity.Error);
    }
}
