using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>
/// An open page (a Blazor circuit) outlives the request that authenticated it; this re-checks its user as the cookie
/// does, so a disabled user, a changed security stamp or a session signed out elsewhere signs the page out too.
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
        var user = authenticationState.User;
        // A page opened with an API key has no browser session to end.
        var sessionEnded = user.HasClaim(c => c.Type == SessionTicketStore.SessionKeyClaim)
                           && !await scope.ServiceProvider.GetRequiredService<SessionTicketStore>().IsActiveAsync(user);
        return !sessionEnded && await signIn.ValidateSecurityStampAsync(user) is not null;
    }
}
