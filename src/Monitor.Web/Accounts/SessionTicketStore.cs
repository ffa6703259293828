using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Monitor.Web.Data;

namespace Monitor.Web.Accounts;

/// <summary>
/// Browser sessions live on the server: the login cookie carries only a session key, and the session itself is a row
/// of Identity's user-token table (provider <see cref="Provider"/>). Signing out deletes the row, so a copy of the
/// cookie taken before stops working at once; a session left to expire is pruned when its user next signs in.
/// </summary>
public sealed class SessionTicketStore(IDbContextFactory<MonitorDbContext> databases, TimeProvider time) : ITicketStore
{
    public const string Provider = "Monitor.Session";

    /// <summary>The claim the cookie handler puts the session key in, for the checks of open pages.</summary>
    public const string SessionKeyClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    private static readonly TicketSerializer Serializer = TicketSerializer.Default;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var userId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)
                     ?? throw new InvalidOperationException("A browser session needs a signed-in user.");
        var session = Guid.NewGuid().ToString("N");
        await using var db = await databases.CreateDbContextAsync();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var expired = (await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider).ToListAsync())
            .Where(t => ExpiresAt(t.Value) < now);
        db.UserTokens.RemoveRange(expired);
        db.UserTokens.Add(new IdentityUserToken<string> { UserId = userId, LoginProvider = Provider, Name = session, Value = Serialize(ticket) });
        await db.SaveChangesAsync();
        return Key(userId, session);
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        if (!TryParse(key, out var userId, out var session)) return;
        await using var db = await databases.CreateDbContextAsync();
        // Renewing never brings back a session that was ended meanwhile.
        await Session(db, userId, session).ExecuteUpdateAsync(set => set.SetProperty(t => t.Value, Serialize(ticket)));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!TryParse(key, out var userId, out var session)) return null;
        await using var db = await databases.CreateDbContextAsync();
        var value = await Session(db, userId, session).Select(t => t.Value).SingleOrDefaultAsync();
        if (value is null) return null;
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        return Serializer.Deserialize(Convert.FromBase64String(value[(separator + 1)..]));
    }

    public async Task RemoveAsync(string key)
    {
        if (!TryParse(key, out var userId, out var session)) return;
        await using var db = await databases.CreateDbContextAsync();
        await Session(db, userId, session).ExecuteDeleteAsync();
    }

    /// <summary>Whether the session an open page was authenticated with still exists (it ends when its user signs out).</summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal user)
    {
        var key = user.FindFirstValue(SessionKeyClaim);
        return key is not null && await RetrieveAsync(key) is not null;
    }

    private static IQueryable<IdentityUserToken<string>> Session(MonitorDbContext db, string userId, string session) =>
        db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider && t.Name == session);

    private static string Key(string userId, string session) => userId + "/" + session;

    private static bool TryParse(string key, out string userId, out string session)
    {
        var slash = key.LastIndexOf('/');
        (userId, session) = slash > 0 ? (key[..slash], key[(slash + 1)..]) : ("", "");
        return slash > 0;
    }

    private static string Serialize(AuthenticationTicket ticket) =>
        (ticket.Properties.ExpiresUtc?.ToUnixTimeMilliseconds() ?? long.MaxValue).ToString(CultureInfo.InvariantCulture)
        + ":" + Convert.ToBase64String(Serializer.Serialize(ticket));

    private static long ExpiresAt(string? value) =>
        value is not null && long.TryParse(value.AsSpan(0, Math.Max(0, value.IndexOf(':', StringComparison.Ordinal))),
            NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? at : 0;
}
