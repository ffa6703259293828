using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Monitor.Web.Accounts;
using Monitor.Web.Resources;
using Monitor.Web.Security;

namespace Monitor.Web.Components.Account.Pages;

public sealed partial class Login
{
    [Inject]
    private LoginService Logins { get; set; } = null!;

    [Inject]
    private UserAdministration Accounts { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private IStringLocalizer<Strings> Text { get; set; } = null!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = null!;

    [SupplyParameterFromForm(FormName = "login")]
    private LoginForm? Input { get; set; }

    [SupplyParameterFromQuery(Name = "returnUrl")]
    private string? ReturnUrl { get; set; }

    private bool _noAccounts;
    private string? _error;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new LoginForm();
        if (HttpMethods.IsGet(HttpContext.Request.Method) && HttpContext.User.Identity?.IsAuthenticated == true)
        {
            Navigation.NavigateTo(LocalUrl.OrHome(ReturnUrl));
            return;
        }
        _noAccounts = !await Accounts.AnyUserAsync(HttpContext.RequestAborted);
    }

    private async Task SignInAsync()
    {
        Input ??= new LoginForm();
        if (string.IsNullOrWhiteSpace(Input.Email) || string.IsNullOrEmpty(Input.Password))
        {
            _error = Text["Login.Missing"];
            return;
        }

        var outcome = await Logins.SignInAsync(Input.Email, Input.Password, ClientAddress.Of(HttpContext));
        if (outcome == LoginOutcome.Succeeded)
        {
            Navigation.NavigateTo(LocalUrl.OrHome(ReturnUrl));
            return;
        }
        // One message for every failure, so the form does not tell which accounts exist or are locked.
        _error = Text["Login.Failed"];
        Input.Password = "";
    }

    private sealed class LoginForm
    {
        public string Email { get; set; } = "";
        public string Password { get; set; } = "";
    }
}
