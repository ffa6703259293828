using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// Observations in InfluxDB over its v1 HTTP API (line protocol to /write, InfluxQL to /query), which InfluxDB 1.x,
/// 2.x (compatibility API) and 3.x all serve. Schema and queries: docs/influxdb-schema.md.
/// </summary>
/// <remarks>
/// One point per observation in measurement <c>observation</c>, tagged by <c>site</c> and <c>indicator</c>, at
/// millisecond precision. InfluxDB merges the fields of a point written twice instead of replacing it, so every
/// write carries <c>state</c>, <c>source</c> and <c>note</c>, with an empty string for "none": a rewrite without a
/// note clears the old one. <c>value</c> cannot be cleared that way (a float field has no empty value), so a point
/// whose <c>state</c> is set reads as having no value.
/// </remarks>
public sealed partial class InfluxDbObservationStore(HttpClient http, InfluxDbOptions options, ILogger<InfluxDbObservationStore>? logger = null)
    : IObservationStore
{
    private const string Measurement = "observation";

    // A 10,000-observation API batch goes out as one request. The character cap keeps batches of long notes under
    // the smallest default body limit among InfluxDB versions (10 MiB in 3.x; 25 MB in 1.x), as UTF-8 takes at most
    // 3 bytes per UTF-16 character.
    private const int LinesPerRequest = 10_000;
    private const int CharactersPerRequest = 3_000_000;

    private readonly Uri _baseUrl = BaseUrl(options.Url);
    private readonly string _database = options.Database;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        using var response = await PostQueryAsync($"CREATE DATABASE {QuoteIdentifier(_database)}", parameters: null, database: null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Unavailable(response.StatusCode, "refused the credentials", await ErrorTextAsync(response, cancellationToken));
        }

        string? refusal;
        if (!response.IsSuccessStatusCode)
        {
            refusal = $"HTTP {(int)response.StatusCode}: {await ErrorTextAsync(response, cancellationToken)}";
        }
        else
        {
            using var results = await ReadResultsAsync(response, cancellationToken);
            refusal = results.Error;
        }

        // InfluxDB 2.x and 3.x (and 1.x users without admin rights) answer but do not create databases over this API;
        // there the bucket or database is provisioned beforehand, and a missing one is reported on the first write.
        if (refusal is not null && logger is not null) LogCannotCreateDatabase(logger, _database, refusal);
    }

    public async Task WriteAsync(IReadOnlyList<Observation> batch, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        var lines = 0;
        foreach (var observation in batch)
        {
            AppendLine(body, observation);
            if (++lines == LinesPerRequest || body.Length >= CharactersPerRequest)
            {
                await PostLinesAsync(body, cancellationToken);
                body.Clear();
                lines = 0;
            }
        }

        if (lines > 0) await PostLinesAsync(body, cancellationToken);
    }

    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(query.SiteId) || string.IsNullOrEmpty(query.IndicatorId)) return [];

        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        var width = (long)Downsampling.BucketWidth(query.From, query.To, query.MaxPoints).TotalMilliseconds;
        var range = $"site = $site AND indicator = $indicator AND time >= {TimeLiteral(from)} AND time <= {TimeLiteral(to)}";
        var parameters = new Dictionary<string, string>
        {
            ["site"] = LineProtocol.EncodeTagValue(query.SiteId),
            ["indicator"] = LineProtocol.EncodeTagValue(query.IndicatorId),
        };

        // Every point written here carries `state`, so counting it counts readings of either kind.
        long count;
        using (var counted = await QueryAsync($"SELECT count(state) FROM {Measurement} WHERE {range}", parameters, _database, cancellationToken))
        {
            count = counted.Rows(0).Select(row => row.GetInt64("count")).FirstOrDefault();
        }

        if (count <= query.MaxPoints)
        {
            using var raw = await QueryAsync(
                $"SELECT value, state, source, note FROM {Measurement} WHERE {range} ORDER BY time ASC", parameters, _database, cancellationToken);
            return raw.Rows(0).Select(row => Downsampling.Raw(ReadObservation(row, query.SiteId, query.IndicatorId))).ToArray();
        }

        // InfluxDB aligns buckets to the epoch plus the offset; offsetting by `from` modulo the width starts them at
        // `from`, as Downsampling does, and bucket rows are stamped with their start.
        var offset = ((from % width) + width) % width;
        var groupBy = $"GROUP BY time({width}ms, {offset}ms) fill(none)";
        if (kind == IndicatorKind.Numeric)
        {
            using var buckets = await QueryAsync(
                $"SELECT mean(value), min(value), max(value), count(value) FROM {Measurement} WHERE {range} {groupBy}",
                parameters, _database, cancellationToken);
            return buckets.Rows(0)
                .Select(row => new SeriesPoint(
                    row.GetTime(), row.GetDouble("mean"), row.GetDouble("min"), row.GetDouble("max"), (int)row.GetInt64("count")))
                .ToArray();
        }

        using var states = await QueryAsync(
            $"SELECT last(state) FROM {Measurement} WHERE {range} {groupBy}", parameters, _database, cancellationToken);
        return states.Rows(0).Select(row => new SeriesPoint(row.GetTime(), State: EmptyAsNull(row.GetString("last")))).ToArray();
    }

    public async Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(siteId)) return [];

        using var results = await QueryAsync(
            $"SELECT * FROM {Measurement} WHERE site = $site GROUP BY indicator ORDER BY time DESC LIMIT 1",
            new Dictionary<string, string> { ["site"] = LineProtocol.EncodeTagValue(siteId) },
            _database, cancellationToken);
        return results.Rows(0)
            .Select(row => ReadObservation(row, siteId, LineProtocol.DecodeTagValue(row.Tag("indicator") ?? "")))
            .OrderBy(o => o.IndicatorId, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken)
    {
        using var results = await QueryAsync(
            $"SELECT first(state) FROM {Measurement}; SELECT last(state) FROM {Measurement}", parameters: null, _database, cancellationToken);
        var first = results.Rows(0).Select(row => (DateTimeOffset?)row.GetTime()).FirstOrDefault();
        var last = results.Rows(1).Select(row => (DateTimeOffset?)row.GetTime()).FirstOrDefault();
        return first is { } f && last is { } l ? new ObservationExtent(f, l) : null;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, "ping")), cancellationToken);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (ObservationStoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>The line this store writes for an observation (public so benchmarks can send the very same points).</summary>
    public static void AppendLine(StringBuilder body, Observation o)
    {
        LineProtocol.AppendMeasurement(body, Measurement);
        LineProtocol.AppendTag(body, "site", o.SiteId);
        LineProtocol.AppendTag(body, "indicator", o.IndicatorId);
        var first = true;
        if (o.Value is { } value)
        {
            LineProtocol.AppendField(body, "value", value, first);
            first = false;
        }
        LineProtocol.AppendField(body, "state", o.State ?? "", first);
        LineProtocol.AppendField(body, "source", o.Source ?? "", first: false);
        LineProtocol.AppendField(body, "note", o.Note ?? "", first: false);
        LineProtocol.AppendTimestamp(body, o.Timestamp.ToUnixTimeMilliseconds());
    }

    private static Observation ReadObservation(InfluxRow row, string siteId, string indicatorId)
    {
        var state = EmptyAsNull(row.GetString("state"));
        return new Observation(
            siteId,
            indicatorId,
            row.GetTime(),
            state is null ? row.GetDouble("value") : null,
            state,
            EmptyAsNull(row.GetString("source")),
            EmptyAsNull(row.GetString("note")));
    }

    private async Task PostLinesAsync(StringBuilder lines, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(lines.ToString());
        var url = new Uri(_baseUrl, $"write?db={Uri.EscapeDataString(_database)}&precision=ms");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" } } },
        }, cancellationToken);
        if (response.IsSuccessStatusCode) return;

        var reason = await ErrorTextAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest || response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            throw new ObservationStoreRejectedException(
                $"InfluxDB at {Describe(_baseUrl)} refused the write to '{_database}' (HTTP {(int)response.StatusCode}): {reason}");
        }
        throw Unavailable(response.StatusCode, $"did not accept the write to '{_database}'", reason);
    }

    private async Task<InfluxResults> QueryAsync(
        string influxQl, IReadOnlyDictionary<string, string>? parameters, string? database, CancellationToken cancellationToken)
    {
        using var response = await PostQueryAsync(influxQl, parameters, database, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            // Every user value travels as a bound parameter, so a malformed query is a fault of this class, not an outage.
            throw new InvalidOperationException(
                $"InfluxDB at {Describe(_baseUrl)} refused a query as malformed: {await ErrorTextAsync(response, cancellationToken)}");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw Unavailable(response.StatusCode, "did not answer a query", await ErrorTextAsync(response, cancellationToken));
        }

        var results = await ReadResultsAsync(response, cancellationToken);
        if (results.Error is { } error)
        {
            results.Dispose();
            throw new ObservationStoreUnavailableException($"InfluxDB at {Describe(_baseUrl)} could not run a query on '{_database}': {error}");
        }
        return results;
    }

    private Task<HttpResponseMessage> PostQueryAsync(
        string influxQl, IReadOnlyDictionary<string, string>? parameters, string? database, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("q", influxQl), new("epoch", "ms"), new("chunked", "true") };
        if (database is not null) form.Add(new("db", database));
        if (parameters is not null) form.Add(new("params", JsonSerializer.Serialize(parameters)));
        return SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "query")) { Content = new FormUrlEncodedContent(form) },
            cancellationToken);
    }

    private async Task<InfluxResults> ReadResultsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return InfluxResults.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
        {
            throw new ObservationStoreUnavailableException($"InfluxDB at {Describe(_baseUrl)} sent an unreadable query answer.", ex);
        }
    }

    /// <summary>Sends with credentials and the configured timeout; transport failures become <see cref="ObservationStoreUnavailableException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        using var request = createRequest();
        if (!string.IsNullOrEmpty(options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            // Basic rather than u/p query values, so credentials never appear in URLs or access logs.
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObservationStoreUnavailableException(
                $"InfluxDB at {Describe(_baseUrl)} did not answer within {options.Timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ObservationStoreUnavailableException(
                $"InfluxDB at {Describe(_baseUrl)} is unreachable ({ex.HttpRequestError}).", ex);
        }

        if ((int)response.StatusCode >= 500)
        {
            using (response)
            {
                throw Unavailable(response.StatusCode, "failed", await ErrorTextAsync(response, cancellationToken));
            }
        }
        return response;
    }

    private ObservationStoreUnavailableException Unavailable(HttpStatusCode status, string what, string reason)
    {
        var hint = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " Check InfluxDB:Token, or InfluxDB:Username and InfluxDB:Password.",
            HttpStatusCode.NotFound => $" Check that the database (or on InfluxDB 2.x the bucket with a DBRP mapping) '{_database}' exists.",
            _ => "",
        };
        return new ObservationStoreUnavailableException(
            $"InfluxDB at {Describe(_baseUrl)} {what} (HTTP {(int)status}): {reason}{hint}");
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return "no reason given";
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                text = error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not InfluxDB's JSON (a proxy's page, perhaps): report the text itself.
        }

        text = text.Trim();
        const int limit = 500;
        return text.Length == 0 ? "no reason given" : text.Length <= limit ? text : text[..limit] + "…";
    }

    private static Uri BaseUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("InfluxDB:Url must be an absolute http(s) URL such as http://localhost:8086.", nameof(url));
        }
        // A trailing slash makes relative paths ("write", "query") land under a reverse proxy's prefix, if any.
        var builder = new UriBuilder(uri) { Query = "", Fragment = "" };
        if (!builder.Path.EndsWith('/')) builder.Path += "/";
        return builder.Uri;
    }

    // Scheme, host and port only: user info or query values in the configured URL may hold credentials.
    private static string Describe(Uri url) => $"{url.Scheme}://{url.Host}:{url.Port}";

    private static string QuoteIdentifier(string identifier)
    {
        if (string.IsNullOrEmpty(identifier) || identifier.Any(char.IsControl))
        {
            throw new ArgumentException("An InfluxDB database name must be non-empty text without control characters.", nameof(identifier));
        }
        return "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    // Integer literals with a unit are exact; times before 1970 would need a unary minus, so they go as RFC 3339 text.
    private static string TimeLiteral(long unixMs) => unixMs >= 0
        ? unixMs.ToString(CultureInfo.InvariantCulture) + "ms"
        : "'" + DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "'";

    private static string? EmptyAsNull(string? text) => string.IsNullOrEmpty(text) ? null : text;

    [LoggerMessage(LogLevel.Warning, "InfluxDB did not create database '{Database}' ({Reason}); it must already exist, or on InfluxDB 2.x be a bucket with a DBRP mapping.")]
    private static partial void LogCannotCreateDatabase(ILogger logger, string database, string reason);
}
