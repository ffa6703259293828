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
    }

    public IReadOnlyList<Site> Sites { get; }
    public IReadOnlyList<IndicatorDefinition> Indicators { get; }
    public IReadOnlyDictionary<string, Site> SitesById { get; }
    public IReadOnlyDictionary<string, IndicatorDefinition> IndicatorsById { get; }

    public Site? FindSite(string id) => SitesById.GetValueOrDefault(id);
    public IndicatorDefinition? FindIndicator(string id) => IndicatorsById.GetValueOrDefault(id);

    public IEnumerable<IndicatorDefinition> IndicatorsFor(Site site) => Indicators.Where(i => i.AppliesTo(site));
}
