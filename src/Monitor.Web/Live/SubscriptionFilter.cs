using Monitor.Domain.Alerts;

namespace Monitor.Web.Live;

/// <summary>
/// The body of <c>Subscribe</c>: the connection wants only sites in <c>regions</c> ∪ <c>siteIds</c>, only alerts of at
/// least <c>minSeverity</c> (<c>info</c>, <c>warning</c>, <c>critical</c>), and observations unless
/// <c>observations</c> is false.
/// </summary>
public sealed record SubscriptionRequest(IReadOnlyList<string>? Regions, IReadOnlyList<string>? SiteIds, string? MinSeverity, bool? Observations = null);

/// <summary>A connection's filter; empty lists on both sides mean every site, no minimum severity means every alert.</summary>
public sealed class SubscriptionFilter
{
    private readonly HashSet<string> _regions;
    private readonly HashSet<string> _siteIds;

    public SubscriptionFilter(IEnumerable<string>? regions, IEnumerable<string>? siteIds, Severity minSeverity = Severity.Info, bool observations = true)
    {
        _regions = new HashSet<string>(regions ?? [], StringComparer.OrdinalIgnoreCase);
        _siteIds = new HashSet<string>(siteIds ?? [], StringComparer.Ordinal);
        MinSeverity = minSeverity;
        Observations = observations;
    }

    public Severity MinSeverity { get; }

    /// <summary>Whether the connection wants observations at all (a listener may want alerts only).</summary>
    public bool Observations { get; }

    public bool AllSites => _regions.Count == 0 && _siteIds.Count == 0;

    public bool IsEverything => AllSites && MinSeverity == Severity.Info && Observations;

    /// <summary>Whether an observation of this site passes (observations have no severity).</summary>
    public bool Matches(string siteId, string region) => Observations && InScope(siteId, region);

    public bool Matches(string siteId, string region, Severity severity) => severity >= MinSeverity && InScope(siteId, region);

    private bool InScope(string siteId, string region) => AllSites || _siteIds.Contains(siteId) || _regions.Contains(region);

    /// <summary>Parses <c>minSeverity</c> by name; none given means <c>info</c> (every alert).</summary>
    public static bool TryParseSeverity(string? text, out Severity severity)
    {
        severity = Enum.GetValues<Severity>().FirstOrDefault(s => string.Equals(s.ToString(), text, StringComparison.OrdinalIgnoreCase));
        return string.IsNullOrEmpty(text) || string.Equals(severity.ToString(), text, StringComparison.OrdinalIgnoreCase);
    }
}
