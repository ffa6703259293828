using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>
/// An open page (a Blazor circuit) outlives the request that authenticated it; this re-checks its user as the cookie
/// does, so a disabled user or a changed security stamp signs the page out too.
/// </summary>
internal sealed class SessionRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<BrowserSessionOptions> sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(5);

    protected override TimeSpan RevalidationInterval =>
        sessions.Value.CheckInterval < Shortest ? Shortest : sessions.Value.CheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<MonitorUser>>();
        return await signIn.ValidateSecurityStampAsync(authenticationState.User) is not null;
    }
}
