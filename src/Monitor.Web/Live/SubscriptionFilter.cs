namespace Monitor.Web.Live;

/// <summary>The body of <c>Subscribe</c>: the connection wants only sites in <c>regions</c> ∪ <c>siteIds</c>.</summary>
public sealed record SubscriptionRequest(IReadOnlyList<string>? Regions, IReadOnlyList<string>? SiteIds, string? MinSeverity);

/// <summary>A connection's filter; empty lists on both sides mean everything.</summary>
public sealed class SubscriptionFilter
{
    private readonly HashSet<string> _regions;
    private readonly HashSet<string> _siteIds;

    public SubscriptionFilter(IEnumerable<string>? regions, IEnumerable<string>? siteIds)
    {
        _regions = new HashSet<string>(regions ?? [], StringComparer.OrdinalIgnoreCase);
        _siteIds = new HashSet<string>(siteIds ?? [], StringComparer.Ordinal);
    }

    public bool IsEverything => _regions.Count == 0 && _siteIds.Count == 0;

    public bool Matches(string siteId, string region) => IsEverything || _siteIds.Contains(siteId) || _regions.Contains(region);
}
