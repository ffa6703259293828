namespace Monitor.Domain.Catalog;

/// <summary>A place whose infrastructure is watched: a city, refinery, border crossing, depot, power plant…</summary>
/// <param name="Pcode">The site's own OCHA COD-AB P-code, when it has one; imports accept it in place of the id.</param>
/// <param name="RegionPcode">The P-code of the site's governorate (COD-AB admin level 1, e.g. <c>IQG15</c> for Ninewa).</param>
public sealed record Site(
    string Id,
    string Name,
    string Kind,
    string Region,
    string Country,
    double Latitude,
    double Longitude,
    string? Pcode = null,
    string? RegionPcode = null);
