using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Data;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// A hub connection outlives the request that authenticated it, so every <c>Auth:Sessions:CheckInterval</c> this checks
/// the credential of each open <see cref="AlertsHub"/> connection again and aborts those whose credential no longer
/// holds: an API key revoked or expired, a user disabled or whose role or password changed (a new security stamp), a
/// browser session signed out. Keys from configuration cannot change while the app runs and are not checked.
/// </summary>
public sealed partial class HubCredentialCheck(
    IServiceScopeFactory scopes,
    IDbContextFactory<MonitorDbContext> databases,
    IOptions<BrowserSessionOptions> sessions,
    TimeProvider time,
    ILogger<HubCredentialCheck> logger) : BackgroundService, IHubFilter
{
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        _connections[context.Context.ConnectionId] = context.Context;
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _connections.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = sessions.Value.CheckInterval < Shortest ? Shortest : sessions.Value.CheckInterval;
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(ex);
            }
        }
    }

    /// <summary>Aborts every connection whose credential no longer holds.</summary>
    public async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, connection) in _connections)
        {
            if (connection.User is { } user && await HoldsAsync(user, cancellationToken)) continue;
            _connections.TryRemove(id, out _);
            LogClosed(id, AuditLog.ActorOf(connection.User));
            connection.Abort();
        }
    }

    private async Task<bool> HoldsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } keyId)
        {
            if (!Guid.TryParse(keyId, out var id)) return false;
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == id)
                .Select(k => new { k.RevokedAt, k.ExpiresAt }).SingleOrDefaultAsync(cancellationToken);
            return key is { RevokedAt: null } && (key.ExpiresAt is null || key.ExpiresAt > time.GetUtcNow());
        }
        if (user.FindFirstValue(ApiKeyAuthenticationHandler.AuthMethodClaim) == "api_key") return true;

        await using var scope = scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<MonitorUser>>();
        if (await signIn.ValidateSecurityStampAsync(user) is null) return false;
        return !user.HasClaim(c => c.Type == SessionTicketStore.SessionKeyClaim)
               || await scope.ServiceProvider.GetRequiredService<SessionTicketStore>().IsActiveAsync(user);
    }

    [LoggerMessage(LogLevel.Information, "Closed hub connection {ConnectionId} of {Actor}: its credential no longer holds.")]
    private partial void LogClosed(string connectionId, string actor);

    [LoggerMessage(LogLevel.Warning, "Checking the credentials of open hub connections failed; trying again at the next interval.")]
    private partial void LogCheckFailed(Exception exception);
}

public static class HubCredentialCheckServiceCollectionExtensions
{
    public static IServiceCollection AddHubCredentialCheck(this IServiceCollection services)
    {
        services.AddSingleton<HubCredentialCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<HubCredentialCheck>());
        services.AddSignalR().AddHubOptions<AlertsHub>(options => options.AddFilter<HubCredentialCheck>());
        return services;
    }
}
