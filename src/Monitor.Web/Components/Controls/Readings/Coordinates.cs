using System.Globalization;
using Microsoft.Extensions.Localization;
using Monitor.Domain.Catalog;
using Monitor.Web.Resources;

namespace Monitor.Web.Components.Controls.Readings;

public static class Coordinates
{
    public static string Format(IStringLocalizer<Strings> l, Site site) => l[
        "Coordinates.Format",
        Math.Abs(site.Latitude).ToString("0.0000", CultureInfo.CurrentCulture),
        l[site.Latitude >= 0 ? "Coordinates.North" : "Coordinates.South"],
        Math.Abs(site.Longitude).ToString("0.0000", CultureInfo.CurrentCulture),
        l[site.Longitude >= 0 ? "Coordinates.East" : "Coordinates.West"]];

    /// <summary>A map of the place, opened in the person's browser (the server itself may have no internet).</summary>
    public static string MapLink(Site site) => string.Create(CultureInfo.InvariantCulture,
        $"https://www.openstreetmap.org/?mlat={site.Latitude:0.#####}&mlon={site.Longitude:0.#####}#map=11/{site.Latitude:0.#####}/{site.Longitude:0.#####}");
}
