using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Monitor.Web.Accounts;

/// <summary>Identity's sign-in rules plus one of Monitor's: a disabled user can neither sign in nor keep a session.</summary>
public sealed class MonitorSignInManager(
    UserManager<MonitorUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<MonitorUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<MonitorUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<MonitorUser> confirmation)
    : SignInManager<MonitorUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(MonitorUser user) => !user.Disabled && await base.CanSignInAsync(user);

    /// <summary>
    /// Runs on every session check (cookie and open Blazor circuits), so disabling a user ends their sessions even if
    /// whoever disabled them forgot to change the security stamp.
    /// </summary>
    public override async Task<bool> ValidateSecurityStampAsync(MonitorUser? user, string? securityStamp) =>
        user is { Disabled: false } && await base.ValidateSecurityStampAsync(user, securityStamp);
}
