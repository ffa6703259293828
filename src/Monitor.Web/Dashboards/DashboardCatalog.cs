using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Domain.Catalog;
using Monitor.Domain.Dashboards;

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

    /// <summary>Parses one file and checks it against the catalog; on failure says which field is wrong.</summary>
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

        return dashboard is null
            ? (null, "$: the file is empty")
            : DashboardValidator.Validate(dashboard, Path.GetFileNameWithoutExtension(file), catalog);
    }

    private static string FirstSentence(string message) => message.Split(". ", 2)[0];

    [LoggerMessage(LogLevel.Error, "Dashboard file {File} was not loaded: {Problem}.")]
    private partial void LogSkipped(string file, string problem);

    [LoggerMessage(LogLevel.Information, "Provisioned {Count} dashboards from {Directory}.")]
    private partial void LogLoaded(int count, string directory);
}
