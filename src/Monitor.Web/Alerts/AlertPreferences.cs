using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Monitor.Domain.Alerts;
using Monitor.Web.Data;
using Monitor.Web.Live;

namespace Monitor.Web.Alerts;

/// <summary>
/// What a signed-in person wants to be told about as it fires: sites in <see cref="Regions"/> ∪ <see cref="SiteIds"/>
/// (neither given: every site) of at least <see cref="MinSeverity"/>, as the hub's <c>Subscribe</c> filters; with a
/// sound and a browser notification if they asked for them.
/// </summary>
public sealed record AlertPreference(
    IReadOnlyList<string> Regions, IReadOnlyList<string> SiteIds, Severity MinSeverity, bool Sound, bool BrowserNotifications)
{
    /// <summary>Someone who never chose: every critical alert, silently, in the page only.</summary>
    public static AlertPreference Default { get; } = new([], [], Severity.Critical, Sound: false, BrowserNotifications: false);

    public bool Matches(AlertView alert) => new SubscriptionFilter(Regions, SiteIds, MinSeverity).Matches(alert.SiteId, alert.Region, alert.Severity);
}

/// <summary>One person's <see cref="AlertPreference"/>, keyed by their user id.</summary>
public sealed class AlertPreferenceRow
{
    public required string UserId { get; set; }
    public List<string> Regions { get; set; } = [];
    public List<string> SiteIds { get; set; } = [];
    public required string MinSeverity { get; set; }
    public bool Sound { get; set; }
    public bool BrowserNotifications { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Alert preferences kept on each person's profile. Open pages of the same person hear about a change at once, so a
/// second tab notifies by the new choice without a reload.
/// </summary>
public sealed class AlertPreferences(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    private readonly Lock _gate = new();
    private (string UserId, Action<AlertPreference> Listener)[] _listeners = [];

    /// <summary>The key preferences are kept under: the account's id, or its name for principals without one.</summary>
    public static string? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name : null;

    public async Task<AlertPreference> GetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.AlertPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        return row is null
            ? AlertPreference.Default
            : new AlertPreference(row.Regions, row.SiteIds, Names.Parse<Severity>(row.MinSeverity), row.Sound, row.BrowserNotifications);
    }

    public async Task SaveAsync(string userId, AlertPreference preference, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = new AlertPreferenceRow
        {
            UserId = userId, Regions = [.. preference.Regions.Distinct(StringComparer.OrdinalIgnoreCase)],
            SiteIds = [.. preference.SiteIds.Distinct(StringComparer.Ordinal)], MinSeverity = Names.Of(preference.MinSeverity),
            Sound = preference.Sound, BrowserNotifications = preference.BrowserNotifications, UpdatedAt = time.GetUtcNow(),
        };
        var known = await db.AlertPreferences.FindAsync([userId], cancellationToken);
        if (known is null) db.AlertPreferences.Add(row);
        else db.Entry(known).CurrentValues.SetValues(row);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (owner, listener) in Volatile.Read(ref _listeners))
        {
            if (owner == userId) listener(preference);
        }
    }

    /// <summary>Calls <paramref name="listener"/> with the new preference whenever this person saves one (post to your own dispatcher).</summary>
    public IDisposable Subscribe(string userId, Action<AlertPreference> listener)
    {
        lock (_gate) _listeners = [.. _listeners, (userId, listener)];
        return new Unsubscriber(this, listener);
    }

    private sealed class Unsubscriber(AlertPreferences owner, Action<AlertPreference> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate) owner._listeners = owner._listeners.Where(l => l.Listener != listener).ToArray();
        }
    }
}
