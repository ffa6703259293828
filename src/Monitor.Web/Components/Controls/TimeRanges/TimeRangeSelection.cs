using System.Globalization;
using Monitor.Domain.Observations;
using Monitor.Web.Observations;

namespace Monitor.Web.Components.Controls.TimeRanges;

public enum RangeChoice
{
    Last24Hours,
    Last7Days,
    Last30Days,
    All,
    Custom,
}

/// <summary>
/// The range a person picked, as it travels in the address (<c>?range=7d</c>, <c>?range=custom&amp;from=…&amp;to=…</c>)
/// so a view can be bookmarked and shared. Custom dates are whole UTC days, both included.
/// </summary>
public sealed record TimeRangeSelection(RangeChoice Choice, DateOnly? From = null, DateOnly? To = null)
{
    public static readonly TimeRangeSelection Default = new(RangeChoice.Last7Days);

    private static readonly (RangeChoice Choice, string Key)[] Keys =
    [
        (RangeChoice.Last24Hours, "24h"),
        (RangeChoice.Last7Days, "7d"),
        (RangeChoice.Last30Days, "30d"),
        (RangeChoice.All, "all"),
        (RangeChoice.Custom, "custom"),
    ];

    public string Key => Keys.First(k => k.Choice == Choice).Key;

    public string? FromKey => Choice == RangeChoice.Custom ? From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public string? ToKey => Choice == RangeChoice.Custom ? To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    /// <summary>Reads the address form; anything unreadable falls back to the default rather than failing the page.</summary>
    public static TimeRangeSelection Parse(string? range, string? from, string? to)
    {
        var match = Keys.FirstOrDefault(k => string.Equals(k.Key, range, StringComparison.OrdinalIgnoreCase));
        if (match.Key is null) return Default;
        if (match.Choice != RangeChoice.Custom) return new TimeRangeSelection(match.Choice);

        if (!TryDate(from, out var start) || !TryDate(to, out var end)) return Default;
        // No reading lies outside what the stores can hold; cutting there also keeps "the day after `to`" a real day.
        (start, end) = (StorableTime.Clamp(start), StorableTime.Clamp(end));
        return start <= end ? new TimeRangeSelection(RangeChoice.Custom, start, end) : new TimeRangeSelection(RangeChoice.Custom, end, start);

        static bool TryDate(string? text, out DateOnly date) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>
    /// Turns the choice into instants. A relative range whose window holds nothing because the newest observation is
    /// older than its start is anchored on that newest observation instead, so an archive (such as the 2014 reference
    /// scenario) opens on its last days rather than on empty charts; the result says so, and the page must tell.
    /// </summary>
    public ResolvedRange Resolve(ObservationExtent? extent, DateTimeOffset now)
    {
        switch (Choice)
        {
            case RangeChoice.All when extent is not null:
                var last = extent.Last > extent.First ? extent.Last : extent.First + TimeSpan.FromHours(1);
                return new ResolvedRange(extent.First, last, AnchoredOnLatest: false, FollowsNow: false);
            case RangeChoice.All:
                return Relative(TimeSpan.FromDays(7));
            case RangeChoice.Custom when From is { } from && To is { } to:
                return new ResolvedRange(Midnight(from), Midnight(to.AddDays(1)), AnchoredOnLatest: false, FollowsNow: false);
            case RangeChoice.Last24Hours:
                return Relative(TimeSpan.FromHours(24));
            case RangeChoice.Last30Days:
                return Relative(TimeSpan.FromDays(30));
            default:
                return Relative(TimeSpan.FromDays(7));
        }

        ResolvedRange Relative(TimeSpan span) =>
            extent is not null && extent.Last < now - span
                ? new ResolvedRange(extent.Last - span, extent.Last, AnchoredOnLatest: true, FollowsNow: false)
                : new ResolvedRange(now - span, now, AnchoredOnLatest: false, FollowsNow: true);

        static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }
}

/// <summary>
/// The instants a view shows. <see cref="FollowsNow"/>: the range ends at the present, so live readings arriving after
/// <see cref="To"/> belong in it. <see cref="AnchoredOnLatest"/>: the range was moved back to end at the newest
/// observation because nothing is recent.
/// </summary>
public sealed record ResolvedRange(DateTimeOffset From, DateTimeOffset To, bool AnchoredOnLatest, bool FollowsNow)
{
    public bool Covers(DateTimeOffset timestamp) => timestamp >= From && (FollowsNow || timestamp <= To);
}
