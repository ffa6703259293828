using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Domain.Catalog;

namespace Monitor.Web.Dashboards;

/// <summary>
/// The dashboards provisioned at start. A file that cannot be used is logged with its name and the offending field
/// and skipped; the others still load.
/// </summary>
public sealed partial class DashboardCatalog(ILogger<DashboardCatalog> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private IReadOnlyList<DashboardDefinition> _dashboards = [];

    public IReadOnlyList<DashboardDefinition> All => Volatile.Read(ref _dashboards);

    public DashboardDefinition? Find(string id) => All.FirstOrDefault(d => d.Id == id);

    public void Load(string directory, CatalogSnapshot catalog)
    {
        var loaded = new List<DashboardDefinition>();
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray() : [];
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var (dashboard, problem) = Read(file, catalog);
            if (dashboard is null)
            {
                LogSkipped(name, problem!);
            }
            else if (loaded.Any(d => d.Id == dashboard.Id))
            {
                LogSkipped(name, $"id: '{dashboard.Id}' is already used by another dashboard");
            }
            else
            {
                loaded.Add(dashboard);
            }
        }

        Volatile.Write(ref _dashboards, loaded.OrderBy(d => d.Order).ThenBy(d => d.Title, StringComparer.Ordinal).ToArray());
        LogLoaded(loaded.Count, directory);
    }

    /// <summary>Parses and checks one file against the catalog; on failure says which field is wrong.</summary>
    internal static (DashboardDefinition? Dashboard, string? Problem) Read(string file, CatalogSnapshot catalog)
    {
        DashboardDefinition? dashboard;
        try
        {
            using var stream = File.OpenRead(file);
            dashboard = JsonSerializer.Deserialize<DashboardDefinition>(stream, Json);
        }
        catch (JsonException ex)
        {
            return (null, $"{ex.Path ?? "$"}: {FirstSentence(ex.Message)}");
        }

        if (dashboard is null) return (null, "$: the file is empty");
        var id = string.IsNullOrWhiteSpace(dashboard.Id) ? Path.GetFileNameWithoutExtension(file) : dashboard.Id;
        if (!id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return (null, $"id: '{id}' must use lowercase letters, digits and '-'");
        if (string.IsNullOrWhiteSpace(dashboard.Title)) return (null, "title: a title is required");
        if (dashboard.Panels is null || dashboard.Panels.Count == 0) return (null, "panels: at least one panel is required");

        for (var p = 0; p < dashboard.Panels.Count; p++)
        {
            var panel = dashboard.Panels[p];
            var at = $"panels[{p}]";
            if (panel is null) return (null, $"{at}: a panel object is required");
            var indicator = catalog.FindIndicator(panel.Indicator ?? "");
            if (indicator is null) return (null, $"{at}.indicator: unknown indicator '{panel.Indicator}'");
            if (panel.View == PanelView.Chart && indicator.Kind != IndicatorKind.Numeric)
                return (null, $"{at}.view: a chart needs a numeric indicator; '{indicator.Id}' is a state indicator (use tiles or timeline)");
            if (panel.View == PanelView.Timeline && indicator.Kind != IndicatorKind.State)
                return (null, $"{at}.view: a timeline needs a state indicator; '{indicator.Id}' is numeric (use chart or tiles)");
            if (panel.Width is < 1 or > 12) return (null, $"{at}.width: must be 1 to 12 grid columns");
            if (panel.Sites is null || panel.Sites.Count == 0) return (null, $"{at}.sites: at least one site is required");
            for (var s = 0; s < panel.Sites.Count; s++)
            {
                var site = catalog.FindSite(panel.Sites[s] ?? "");
                if (site is null) return (null, $"{at}.sites[{s}]: unknown site '{panel.Sites[s]}'");
                if (!indicator.AppliesTo(site))
                    return (null, $"{at}.sites[{s}]: '{indicator.Id}' does not apply to {site.Kind} site '{site.Id}'");
            }
        }

        return (dashboard with { Id = id }, null);
    }

    private static string FirstSentence(string message) => message.Split(". ", 2)[0];

    [LoggerMessage(LogLevel.Error, "Dashboard file {File} was not loaded: {Problem}.")]
    private partial void LogSkipped(string file, string problem);

    [LoggerMessage(LogLevel.Information, "Provisioned {Count} dashboards from {Directory}.")]
    private partial void LogLoaded(int count, string directory);
}
