using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Csv;
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
        var path = Path.Combine(directory, "observations.csv");
        using var reader = new StreamReader(path);
        var header = true;
        foreach (var record in CsvParser.Parse(reader))
        {
            if (header)
            {
                header = false;
                continue;
            }
            if (record.Fields.Length != 7)
                throw new InvalidDataException($"observations.csv line {record.Line}: expected 7 fields, found {record.Fields.Length}.");
            var f = record.Fields;
            yield return new ObservationInput(
                f[0], f[1],
                Value: f[3].Length == 0 ? null : double.Parse(f[3], CultureInfo.InvariantCulture),
                State: NullIfEmpty(f[4]),
                Timestamp: DateTimeOffset.Parse(f[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Source: NullIfEmpty(f[5]),
                Note: NullIfEmpty(f[6]));
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
