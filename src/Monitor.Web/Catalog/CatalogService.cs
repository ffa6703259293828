using Microsoft.EntityFrameworkCore;
using Monitor.Domain.Catalog;
using Monitor.Web.Data;

namespace Monitor.Web.Catalog;

/// <summary>
/// Serves the catalog from memory: it is small, read on every request and every render, and changes rarely.
/// <see cref="ReloadAsync"/> refreshes it after the database changes.
/// </summary>
public sealed class CatalogService(IDbContextFactory<MonitorDbContext> dbFactory)
{
    private CatalogSnapshot _current = new([], []);

    public CatalogSnapshot Current => Volatile.Read(ref _current);

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sites = await db.Sites.AsNoTracking().ToListAsync(cancellationToken);
        var indicators = await db.Indicators.AsNoTracking().ToListAsync(cancellationToken);
        Volatile.Write(ref _current, new CatalogSnapshot(sites.Select(ToDomain), indicators.Select(ToDomain)));
    }

    internal static Site ToDomain(SiteRow row) =>
        new(row.Id, row.Name, row.Kind, row.Region, row.Country, row.Latitude, row.Longitude, row.Pcode, row.RegionPcode);

    internal static IndicatorDefinition ToDomain(IndicatorRow row) =>
        new(row.Id, row.Name, Enum.Parse<IndicatorKind>(row.Kind, ignoreCase: true), row.Unit, row.Min, row.Max,
            row.States, row.SiteKinds, row.Cadence);

    internal static SiteRow ToRow(Site site) => new()
    {
        Id = site.Id, Name = site.Name, Kind = site.Kind, Region = site.Region, Country = site.Country,
        Latitude = site.Latitude, Longitude = site.Longitude, Pcode = site.Pcode, RegionPcode = site.RegionPcode,
    };

    internal static IndicatorRow ToRow(IndicatorDefinition indicator) => new()
    {
        Id = indicator.Id, Name = indicator.Name, Kind = indicator.Kind.ToString().ToLowerInvariant(), Unit = indicator.Unit,
        Min = indicator.Min, Max = indicator.Max, States = [.. indicator.States], SiteKinds = [.. indicator.SiteKinds],
        Cadence = indicator.Cadence,
    };
}
