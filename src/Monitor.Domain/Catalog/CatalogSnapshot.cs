namespace Monitor.Domain.Catalog;

/// <summary>An immutable view of the catalog, cheap to look up by id; validation and pages work on it.</summary>
public sealed class CatalogSnapshot
{
    public CatalogSnapshot(IEnumerable<Site> sites, IEnumerable<IndicatorDefinition> indicators)
    {
        Sites = sites.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        Indicators = indicators.OrderBy(i => i.Id, StringComparer.Ordinal).ToArray();
        SitesById = Sites.ToDictionary(s => s.Id, StringComparer.Ordinal);
        IndicatorsById = Indicators.ToDictionary(i => i.Id, StringComparer.Ordinal);
        // P-codes are written in upper case by OCHA but often typed in lower case; a code two sites share names neither.
        SitesByPcode = Sites.Where(s => !string.IsNullOrEmpty(s.Pcode))
            .GroupBy(s => s.Pcode!, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single(), StringComparer.OrdinalIgnoreCase);
    }

    private readonly InstanceCache<Site> _sites = new();
    private readonly InstanceCache<IndicatorDefinition> _indicators = new();

    public IReadOnlyList<Site> Sites { get; }
    public IReadOnlyList<IndicatorDefinition> Indicators { get; }
    public IReadOnlyDictionary<string, Site> SitesById { get; }
    public IReadOnlyDictionary<string, IndicatorDefinition> IndicatorsById { get; }
    public IReadOnlyDictionary<string, Site> SitesByPcode { get; }

    public Site? FindSite(string id) => Find(_sites, SitesById, id);
    /// <summary>The site with this id or, failing that, this P-code (case-insensitive).</summary>
    public Site? FindSiteByIdOrPcode(string idOrPcode) => FindSite(idOrPcode) ?? SitesByPcode.GetValueOrDefault(idOrPcode);

    public IndicatorDefinition? FindIndicator(string id) => Find(_indicators, IndicatorsById, id);

    private static T? Find<T>(InstanceCache<T> recent, IReadOnlyDictionary<string, T> all, string id) where T : class
    {
        if (recent.Find(id) is { } known) return known;
        if (!all.TryGetValue(id, out var value)) return null;
        recent.Remember(id, null, value);
        return value;
    }

    public IEnumerable<IndicatorDefinition> IndicatorsFor(Site site) => Indicators.Where(i => i.AppliesTo(site));
}
