using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Integration.Tests.Fixtures;

/// <summary>
/// A small slice of the reference scenario, written as seed files the app loads at start: cities (one with a hostile
/// name), a refinery and a border crossing; a numeric and two state indicators; a handful of June 2014 observations.
/// </summary>
public static class TestScenario
{
    public const string ViewerKey = "test-viewer-key-4f1c2a9e";
    public const string ReporterKey = "test-reporter-key-8b7d31c0";
    public const string CoordinatorKey = "test-coordinator-key-52e9aa17";
    public const string AdminKey = "test-admin-key-d04c6b38";

    public static readonly IReadOnlyDictionary<string, string> KeysByRole = new Dictionary<string, string>
    {
        ["Viewer"] = ViewerKey,
        ["Reporter"] = ReporterKey,
        ["Coordinator"] = CoordinatorKey,
        ["Admin"] = AdminKey,
    };

    public const string Mosul = "mosul";
    public const string TalAfar = "tal-afar";
    public const string Kirkuk = "kirkuk";
    public const string Rawa = "rawa";
    public const string Baiji = "baiji-refinery";
    public const string AlQaim = "al-qaim-crossing";

    public const string Ninawa = "Ninawa";
    public const string KirkukRegion = "Kirkuk";
    public const string Anbar = "Anbar";
    public const string SalahAdDin = "Salah ad Din";

    /// <summary>Quotes, a comma, a backslash, an equals sign and right-to-left text: everything that breaks naive escaping.</summary>
    public const string TalAfarName = "Tal \"Afar\", \\ = الموصل";

    public const string FuelStationsOpen = "fuel.stations_open_pct";
    public const string RefineryStatus = "refinery.status";
    public const string CrossingStatus = "crossing.status";

    /// <summary>The seeded note of Mosul on 10 June: it needs CSV quoting to survive.</summary>
    public const string SeededNote = "Queue \"2 km\", since dawn\nSecond line";

    public static readonly IReadOnlyList<Site> Sites =
    [
        new(Mosul, "Mosul", "city", Ninawa, "Iraq", 36.34, 43.13),
        new(TalAfar, TalAfarName, "city", Ninawa, "Iraq", 36.37, 42.45),
        new(Kirkuk, "Kirkuk", "city", KirkukRegion, "Iraq", 35.47, 44.39),
        new(Rawa, "Rawa", "city", Anbar, "Iraq", 34.47, 41.92),
        new(Baiji, "Baiji refinery", "refinery", SalahAdDin, "Iraq", 34.93, 43.49),
        new(AlQaim, "Al Qaim border crossing", "border_crossing", Anbar, "Iraq", 34.38, 40.99),
    ];

    public static readonly IReadOnlyList<IndicatorDefinition> Indicators =
    [
        new(FuelStationsOpen, "Fuel stations open", IndicatorKind.Numeric, "%", 0, 100, [], ["city"], TimeSpan.FromDays(1)),
        new(RefineryStatus, "Refinery status", IndicatorKind.State, null, null, null, ["operating", "reduced", "offline"], ["refinery"], TimeSpan.FromHours(12)),
        new(CrossingStatus, "Crossing status", IndicatorKind.State, null, null, null, ["open", "restricted", "closed"], ["border_crossing"], TimeSpan.FromDays(1)),
    ];

    public static readonly IReadOnlyList<Observation> Observations =
    [
        new(Mosul, FuelStationsOpen, Utc(2014, 6, 9, 6), 80, null, "ministry report", null),
        new(Mosul, FuelStationsOpen, Utc(2014, 6, 10, 6), 35, null, "field team, north", SeededNote),
        new(Mosul, FuelStationsOpen, Utc(2014, 6, 11, 6), 12, null, null, null),
        new(TalAfar, FuelStationsOpen, Utc(2014, 6, 16, 6), 20, null, "radio", null),
        new(Kirkuk, FuelStationsOpen, Utc(2014, 6, 12, 6), 60, null, null, null),
        new(Baiji, RefineryStatus, Utc(2014, 6, 17, 0), null, "operating", null, null),
        new(Baiji, RefineryStatus, Utc(2014, 6, 18, 4), null, "offline", "wire report", "attacked overnight"),
        new(AlQaim, CrossingStatus, Utc(2014, 6, 21, 0), null, "closed", null, null),
    ];

    /// <summary>A range holding every seeded observation.</summary>
    public static readonly DateTimeOffset SeedFrom = Utc(2014, 6, 1, 0);
    public static readonly DateTimeOffset SeedTo = Utc(2014, 7, 1, 0);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    private static long _windows;

    public static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A day no other test writes to, so tests sharing an app can read back exactly what they wrote.
    /// Days are in 2015–2020: after the seed, well before now.
    /// </summary>
    public static DateTimeOffset NewWindow() => Utc(2015, 1, 1, 0).AddDays(Interlocked.Increment(ref _windows));

    /// <summary>Writes sites.json, indicators.json and observations.csv as the app's seed loader reads them.</summary>
    public static void Write(
        string directory,
        IEnumerable<Site>? sites = null,
        IEnumerable<IndicatorDefinition>? indicators = null,
        IEnumerable<Observation>? observations = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "sites.json"), JsonSerializer.Serialize(sites ?? Sites, Json));
        File.WriteAllText(Path.Combine(directory, "indicators.json"), JsonSerializer.Serialize(indicators ?? Indicators, Json));

        var csv = new StringBuilder("siteId,indicatorId,timestamp,value,state,source,note\r\n");
        foreach (var o in observations ?? Observations)
        {
            csv.AppendJoin(',',
                Quote(o.SiteId), Quote(o.IndicatorId), Quote(o.Timestamp.ToString("O", CultureInfo.InvariantCulture)),
                o.Value?.ToString("R", CultureInfo.InvariantCulture) ?? "", Quote(o.State), Quote(o.Source), Quote(o.Note));
            csv.Append("\r\n");
        }
        File.WriteAllText(Path.Combine(directory, "observations.csv"), csv.ToString());
    }

    private static string Quote(string? field) => field is null ? "" : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
