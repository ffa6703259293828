using System.Text.Json;
using Monitor.Domain.Catalog;
using Monitor.Domain.Kobo;

namespace Monitor.Web.Observations.Kobo;

/// <summary>
/// The KoboToolbox form mappings, read at start from <c>Monitor:KoboMappingsDirectory</c>. Unlike a dashboard, a mapping
/// that cannot be used stops the start: a form whose submissions would all be refused is worth a clear error now.
/// </summary>
public sealed partial class KoboMappings(ILogger<KoboMappings> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private IReadOnlyDictionary<string, KoboMapping> _mappings = new Dictionary<string, KoboMapping>();

    public KoboMapping? Find(string id) => Volatile.Read(ref _mappings).GetValueOrDefault(id);

    /// <exception cref="InvalidDataException">A mapping file is not valid; the message names the file and the field.</exception>
    public void Load(string directory, CatalogSnapshot catalog)
    {
        var loaded = new Dictionary<string, KoboMapping>(StringComparer.Ordinal);
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray() : [];
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var mapping = Read(file);
            if (KoboMappingValidator.Validate(mapping, catalog) is { } problem)
                throw new InvalidDataException($"KoboToolbox mapping {name} is not valid: {problem}.");
            if (!loaded.TryAdd(mapping.Id, mapping))
                throw new InvalidDataException($"KoboToolbox mapping {name} is not valid: id: '{mapping.Id}' is already used by another mapping.");
        }
        Volatile.Write(ref _mappings, loaded);
        LogLoaded(loaded.Count, directory);
    }

    private static KoboMapping Read(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            var mapping = JsonSerializer.Deserialize<KoboMapping>(stream, Json)
                          ?? throw new InvalidDataException($"KoboToolbox mapping {Path.GetFileName(file)} is empty.");
            return string.IsNullOrWhiteSpace(mapping.Id) ? mapping with { Id = Path.GetFileNameWithoutExtension(file) } : mapping;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"KoboToolbox mapping {Path.GetFileName(file)} is not valid: {ex.Path ?? "$"}: {ex.Message.Split(". ", 2)[0]}.", ex);
        }
    }

    [LoggerMessage(LogLevel.Information, "Loaded {Count} KoboToolbox form mappings from {Directory}.")]
    private partial void LogLoaded(int count, string directory);
}
