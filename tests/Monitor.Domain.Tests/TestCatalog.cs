using Monitor.Domain.Catalog;

namespace Monitor.Domain.Tests;

/// <summary>A small catalog shaped like the reference scenario: cities, a refinery and a border crossing.</summary>
internal static class TestCatalog
{
    public const string Mosul = "mosul";
    public const string Kirkuk = "kirkuk";
    public const string Baiji = "baiji-refinery";
    public const string AlQaim = "al-qaim-crossing";

    public const string FuelStationsOpen = "fuel.stations_open_pct";
    public const string PowerHours = "power.hours_per_day";
    public const string QueueLength = "fuel.queue_vehicles";
    public const string RefineryStatus = "refinery.status";
    public const string CrossingStatus = "crossing.status";

    public static readonly Site MosulSite = new(Mosul, "Mosul", "city", "Ninawa", "Iraq", 36.34, 43.13);
    public static readonly Site KirkukSite = new(Kirkuk, "Kirkuk", "city", "Kirkuk", "Iraq", 35.47, 44.39);
    public static readonly Site BaijiSite = new(Baiji, "Baiji refinery", "refinery", "Salah ad Din", "Iraq", 34.93, 43.49);
    public static readonly Site AlQaimSite = new(AlQaim, "Al Qaim border crossing", "border_crossing", "Anbar", "Iraq", 34.38, 40.99);

    public static readonly IndicatorDefinition FuelStationsOpenIndicator =
        new(FuelStationsOpen, "Fuel stations open", IndicatorKind.Numeric, "%", 0, 100, [], ["city"], TimeSpan.FromDays(1));

    public static readonly IndicatorDefinition PowerHoursIndicator =
        new(PowerHours, "Grid power", IndicatorKind.Numeric, "h/day", 0, 24, [], ["city", "refinery"], TimeSpan.FromDays(1));

    /// <summary>Numeric without bounds: any finite number is in range.</summary>
    public static readonly IndicatorDefinition QueueLengthIndicator =
        new(QueueLength, "Queue at fuel stations", IndicatorKind.Numeric, null, null, null, [], ["city"], TimeSpan.FromDays(1));

    public static readonly IndicatorDefinition RefineryStatusIndicator =
        new(RefineryStatus, "Refinery status", IndicatorKind.State, null, null, null, ["operating", "reduced", "offline"], ["refinery"], TimeSpan.FromHours(12));

    public static readonly IndicatorDefinition CrossingStatusIndicator =
        new(CrossingStatus, "Crossing status", IndicatorKind.State, null, null, null, ["open", "restricted", "closed"], ["border_crossing"], TimeSpan.FromDays(1));

    public static CatalogSnapshot Create() => new(
        [MosulSite, KirkukSite, BaijiSite, AlQaimSite],
        [FuelStationsOpenIndicator, PowerHoursIndicator, QueueLengthIndicator, RefineryStatusIndicator, CrossingStatusIndicator]);
}
