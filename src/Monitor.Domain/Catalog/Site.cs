namespace Monitor.Domain.Catalog;

/// <summary>A place whose infrastructure is watched: a city, refinery, border crossing, depot, power plant…</summary>
public sealed record Site(
    string Id,
    string Name,
    string Kind,
    string Region,
    string Country,
    double Latitude,
    double Longitude);
