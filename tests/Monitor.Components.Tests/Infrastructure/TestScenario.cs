using Monitor.Domain.Catalog;

namespace Monitor.Components.Tests.Infrastructure;

/// <summary>A small catalog and dashboard in the shape of the reference scenario.</summary>
public static class TestScenario
{
    public static readonly Site Mosul = new("mosul", "Mosul", "city", "Ninawa", "Iraq", 36.3350, 43.1189);
    public static readonly Site Kirkuk = new("kirkuk", "Kirkuk", "city", "Kirkuk", "Iraq", 35.4681, 44.3922);
    public static readonly Site Erbil = new("erbil", "Erbil", "city", "Erbil", "Iraq", 36.1911, 44.0092);
    public static readonly Site BaijiRefinery = new("baiji-refinery", "Baiji refinery", "refinery", "Salah ad-Din", "Iraq", 34.9361, 43.4572);
    public static readonly Site AlQaimCrossing = new("al-qaim-crossing", "Al Qaim crossing", "border_crossing", "Anbar", "Iraq", 34.4217, 40.9653);

    public static readonly IndicatorDefinition StationsOpen = new(
        "fuel.stations_open_pct", "Fuel stations open", IndicatorKind.Numeric, "%", 0, 100, [], ["city"], TimeSpan.FromHours(12));

    public static readonly IndicatorDefinition FuelPrice = new(
        "fuel.price_per_litre", "Fuel price (benzine)", IndicatorKind.Numeric, "IQD/L", 0, 10000, [], ["city"], TimeSpan.FromDays(1));

    public static readonly IndicatorDefinition RefineryStatus = new(
        "refinery.status", "Refinery status", IndicatorKind.State, null, null, null, ["operating", "reduced", "offline"], ["refinery"], TimeSpan.FromHours(6));

    public static readonly IndicatorDefinition BorderStatus = new(
        "border.status", "Border crossing status", IndicatorKind.State, null, null, null, ["open", "restricted", "closed"], ["border_crossing"], TimeSpan.FromHours(6));

    public static IReadOnlyList<Site> Sites => [Mosul, Kirkuk, Erbil, BaijiRefinery, AlQaimCrossing];

    public static IReadOnlyList<IndicatorDefinition> Indicators => [StationsOpen, FuelPrice, RefineryStatus, BorderStatus];

    public const string DashboardId = "north";

    public const string DashboardJson = """
        {
          "id": "north",
          "title": "Northern fuel",
          "description": "Fuel in the north.",
          "order": 1,
          "panels": [
            { "title": "Stations open now", "indicator": "fuel.stations_open_pct", "view": "tiles", "sites": ["mosul", "kirkuk", "erbil"], "width": 12 },
            { "title": "Stations open over time", "indicator": "fuel.stations_open_pct", "view": "chart", "sites": ["mosul", "kirkuk"], "width": 6 },
            { "title": "Border", "indicator": "border.status", "view": "timeline", "sites": ["al-qaim-crossing"], "width": 6 }
          ]
        }
        """;
}
