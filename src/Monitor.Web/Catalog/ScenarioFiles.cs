using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Imports;
using Monitor.Domain.Observations;

namespace Monitor.Web.Catalog;

/// <summary>
/// Reads the reference scenario: <c>sites.json</c>, <c>indicators.json</c>, <c>rules.json</c> and <c>observations.csv</c>
/// (columns siteId, indicatorId, timestamp, value, state, source, note). The format is documented in seed-data/README.md.
/// </summary>
public static class ScenarioFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static async Task<IReadOnlyList<Site>> ReadSitesAsync(string directory, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(Path.Combine(directory, "sites.json"));
        return await JsonSerializer.DeserializeAsync<List<Site>>(stream, Json, cancellationToken)
               ?? throw new InvalidDataException("sites.json is empty.");
    }

    public static async Task<IReadOnlyList<IndicatorDefinition>> ReadIndicatorsAsync(string directory, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(Path.Combine(directory, "indicators.json"));
        return await JsonSerializer.DeserializeAsync<List<IndicatorDefinition>>(stream, Json, cancellationToken)
               ?? throw new InvalidDataException("indicators.json is empty.");
    }

    /// <summary>The scenario's alert rules; none when the folder has no <c>rules.json</c>.</summary>
    public static async Task<IReadOnlyList<AlertRule>> ReadRulesAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "rules.json");
        if (!File.Exists(path)) return [];
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<List<AlertRule>>(stream, Json, cancellationToken)
               ?? throw new InvalidDataException("rules.json is empty.");
    }

    public static IEnumerable<ObservationInput> ReadObservations(string directory)
    {
        using var reader = new StreamReader(Path.Combine(directory, "observations.csv"));
        // The scenario names its sites by id, so no catalog is needed to read it; the ingest validator checks it against one.
        foreach (var row in ObservationCsv.Read(reader, Unresolved))
        {
            if (row.Input is null)
                throw new InvalidDataException($"observations.csv line {row.Line}: {string.Join(" ", row.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
            yield return row.Input;
        }
    }

    private static readonly CatalogSnapshot Unresolved = new([], []);
}
