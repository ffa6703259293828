namespace Monitor.Web;

/// <summary>The <c>Monitor</c> configuration section: where the app keeps its files and what it loads at start.</summary>
public sealed class MonitorOptions
{
    public const string Section = "Monitor";

    /// <summary>Embedded databases (catalog, and observations under the embedded store) live here.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The reference scenario; empty means the <c>seed-data</c> folder beside the app.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>Load the reference scenario into an empty catalog and an empty observation store.</summary>
    public bool SeedScenario { get; set; } = true;

    /// <summary>Dashboard definitions; empty means the <c>dashboards</c> folder beside the app.</summary>
    public string? DashboardsDirectory { get; set; }

    /// <summary>KoboToolbox form mappings; empty means the <c>kobo</c> folder inside the seed directory.</summary>
    public string? KoboMappingsDirectory { get; set; }

    /// <summary>Observations older than this are refused (a typo guard: 2104 or 1914 are not reports).</summary>
    public DateTimeOffset TimestampFloor { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
