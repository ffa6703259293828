using System.Text.Json;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// The answer of <c>/query</c> asked with <c>chunked=true</c> and <c>epoch=ms</c>: one JSON object per chunk,
/// <c>{"results":[{"statement_id":0,"series":[{"name","tags","columns","values"}],"error"}],"error"}</c>.
/// </summary>
/// <remarks>
/// Chunked answers are never cut short by the server's <c>max-row-limit</c>, which silently truncates plain ones.
/// A series longer than a chunk arrives as several series objects with the same tags; reading row by row makes
/// that invisible.
/// </remarks>
internal sealed class InfluxResults : IDisposable
{
    private readonly List<JsonDocument> _chunks = [];

    private InfluxResults()
    {
    }

    /// <summary>The first error of the answer or of any statement in it; InfluxDB sends these with HTTP 200.</summary>
    public string? Error { get; private set; }

    public static InfluxResults Parse(ReadOnlySpan<byte> body)
    {
        var results = new InfluxResults();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true });
            while (reader.Read())
            {
                var chunk = JsonDocument.ParseValue(ref reader);
                results._chunks.Add(chunk);
                results.Error ??= FindError(chunk.RootElement);
            }
        }
        catch
        {
            results.Dispose();
            throw;
        }

        if (results._chunks.Count == 0) results.Error = "the answer was empty";
        return results;
    }

    /// <summary>Every row of every series of the statement numbered <paramref name="statementId"/> (from 0), in order.</summary>
    public IEnumerable<InfluxRow> Rows(int statementId)
    {
        foreach (var chunk in _chunks)
        {
            foreach (var result in chunk.RootElement.GetProperty("results").EnumerateArray())
            {
                if (!result.TryGetProperty("statement_id", out var id) || id.GetInt32() != statementId) continue;
                if (!result.TryGetProperty("series", out var series)) continue;

                foreach (var one in series.EnumerateArray())
                {
                    if (!one.TryGetProperty("values", out var values)) continue;
                    var columns = new Dictionary<string, int>(StringComparer.Ordinal);
                    var index = 0;
                    foreach (var column in one.GetProperty("columns").EnumerateArray()) columns[column.GetString()!] = index++;
                    one.TryGetProperty("tags", out var tags);
                    foreach (var row in values.EnumerateArray()) yield return new InfluxRow(row, columns, tags);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks) chunk.Dispose();
    }

    private static string? FindError(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return "the answer is not a JSON object";
        if (root.TryGetProperty("error", out var error)) return error.GetString();
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array) return "the answer holds no results";
        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var statementError)) return statementError.GetString();
        }
        return null;
    }
}

/// <summary>One row of a series, read by column name.</summary>
internal readonly struct InfluxRow(JsonElement values, IReadOnlyDictionary<string, int> columns, JsonElement tags)
{
    public DateTimeOffset GetTime() =>
        DateTimeOffset.FromUnixTimeMilliseconds(Cell("time")?.GetInt64() ?? throw new JsonException("InfluxDB sent a row without a time."));

    public double? GetDouble(string column) => Cell(column)?.GetDouble();

    public long GetInt64(string column) => Cell(column)?.GetInt64() ?? 0;

    public bool GetBoolean(string column) => Cell(column) is { ValueKind: JsonValueKind.True };

    public string? GetString(string column) => Cell(column) is { ValueKind: JsonValueKind.String } cell ? cell.GetString() : null;

    public string? Tag(string key) =>
        tags.ValueKind == JsonValueKind.Object && tags.TryGetProperty(key, out var value) ? value.GetString() : null;

    private JsonElement? Cell(string column) =>
        columns.TryGetValue(column, out var index) && values[index] is { ValueKind: not JsonValueKind.Null } cell ? cell : null;
}
