using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// HTTP to InfluxDB's v1 API: credentials, the overall timeout, writes (gzip-compressed unless InfluxDB is on this
/// machine, see <see cref="InfluxDbOptions.CompressWrites"/>), and failures mapped to the
/// store's exceptions. Each request takes a client from <see cref="IHttpClientFactory"/>, whose resilience handler
/// retries transient failures (with backoff, jitter and <c>Retry-After</c>) before this class sees them.
/// </summary>
internal sealed class InfluxTransport(Func<HttpClient> client, InfluxDbOptions options)
{
    public const string ClientName = "InfluxDB";

    public Uri BaseUrl { get; } = ParseBaseUrl(options.Url);

    public string Database => options.Database;

    /// <summary>Scheme, host and port only: user info or query values in the configured URL may hold credentials.</summary>
    public string Describe() => $"{BaseUrl.Scheme}://{BaseUrl.Host}:{BaseUrl.Port}";

    /// <summary>Whether writes go gzip-compressed.</summary>
    public bool CompressesWrites { get; } = options.CompressWrites ?? !ParseBaseUrl(options.Url).IsLoopback;

    /// <summary>Sends line protocol to <c>/write</c> (gzip-compressed if <see cref="CompressesWrites"/>); 204 is success.</summary>
    public async Task WriteAsync(LineBuffer lines, CancellationToken cancellationToken)
    {
        if (!CompressesWrites)
        {
            await SendWriteAsync(lines.Segment, compressed: false, cancellationToken);
            return;
        }

        // Compressed into a reused buffer (one per write in flight): a 5,000-line write never becomes a large array of its own.
        if (!_spareBuffers.TryTake(out var compressed)) compressed = new MemoryStream();
        try
        {
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(lines.Written);
            }
            await SendWriteAsync(new ArraySegment<byte>(compressed.GetBuffer(), 0, (int)compressed.Length), compressed: true, cancellationToken);
        }
        finally
        {
            compressed.SetLength(0);
            if (_spareBuffers.Count < SpareBuffers) _spareBuffers.Add(compressed);
        }
    }

    private const int SpareBuffers = 8;
    private readonly System.Collections.Concurrent.ConcurrentBag<MemoryStream> _spareBuffers = [];

    private async Task SendWriteAsync(ArraySegment<byte> body, bool compressed, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, $"write?db={Uri.EscapeDataString(Database)}&precision=ms");
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(body.Array!, body.Offset, body.Count);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            if (compressed) content.Headers.ContentEncoding.Add("gzip");
            return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        }, cancellationToken);
        if (response.IsSuccessStatusCode) return;

        var reason = await ErrorTextAsync(response, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
        {
            throw new ObservationStoreRejectedException(
                $"InfluxDB at {Describe()} refused the write to '{Database}' (HTTP {(int)response.StatusCode}): {reason}");
        }
        throw Unavailable(response, $"did not accept the write to '{Database}'", reason);
    }

    /// <summary>Runs InfluxQL with bound parameters; statement errors are raised, never read as empty results.</summary>
    public async Task<InfluxResults> QueryAsync(
        string influxQl, IReadOnlyDictionary<string, string>? parameters, CancellationToken cancellationToken, bool inDatabase = true)
    {
        using var response = await PostQueryAsync(influxQl, parameters, inDatabase, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            // Every user value travels as a bound parameter, so a malformed query is a fault of this code, not an outage.
            throw new InvalidOperationException(
                $"InfluxDB at {Describe()} refused a query as malformed: {await ErrorTextAsync(response, cancellationToken)}");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw Unavailable(response, "did not answer a query", await ErrorTextAsync(response, cancellationToken));
        }

        var results = await ReadResultsAsync(response, cancellationToken);
        if (results.Error is { } error)
        {
            results.Dispose();
            throw new ObservationStoreUnavailableException($"InfluxDB at {Describe()} could not run a query on '{Database}': {error}");
        }
        return results;
    }

    /// <summary>A query whose refusal the caller interprets itself (<c>CREATE DATABASE</c> on servers that do not serve it).</summary>
    public async Task<string?> TryQueryAsync(string influxQl, CancellationToken cancellationToken)
    {
        using var response = await PostQueryAsync(influxQl, parameters: null, inDatabase: false, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Unavailable(response, "refused the credentials", await ErrorTextAsync(response, cancellationToken));
        }
        if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode}: {await ErrorTextAsync(response, cancellationToken)}";
        using var results = await ReadResultsAsync(response, cancellationToken);
        return results.Error;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, "ping")), cancellationToken);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (ObservationStoreUnavailableException)
        {
            return false;
        }
    }

    private Task<HttpResponseMessage> PostQueryAsync(
        string influxQl, IReadOnlyDictionary<string, string>? parameters, bool inDatabase, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("q", influxQl), new("epoch", "ms"), new("chunked", "true") };
        if (inDatabase) form.Add(new("db", Database));
        if (parameters is not null) form.Add(new("params", JsonSerializer.Serialize(parameters)));
        return SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, "query")) { Content = new FormUrlEncodedContent(form) },
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
            throw new ObservationStoreUnavailableException($"InfluxDB at {Describe()} sent an unreadable query answer.", ex);
        }
    }

    /// <summary>Sends with credentials and the configured timeout; transport failures and 5xx become <see cref="ObservationStoreUnavailableException"/>.</summary>
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
            response = await client().SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObservationStoreUnavailableException($"InfluxDB at {Describe()} did not answer within {options.Timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            var what = ex is HttpRequestException http ? http.HttpRequestError.ToString() : "timed out";
            throw new ObservationStoreUnavailableException($"InfluxDB at {Describe()} is unreachable ({what}).", ex);
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            using (response)
            {
                throw Unavailable(response, "failed", await ErrorTextAsync(response, cancellationToken));
            }
        }
        return response;
    }

    private ObservationStoreUnavailableException Unavailable(HttpResponseMessage response, string what, string reason)
    {
        var status = response.StatusCode;
        var hint = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " Check InfluxDB:Token, or InfluxDB:Username and InfluxDB:Password.",
            HttpStatusCode.NotFound => $" Check that the database (or on InfluxDB 2.x the bucket with a DBRP mapping) '{Database}' exists.",
            _ => "",
        };
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        return new ObservationStoreUnavailableException($"InfluxDB at {Describe()} {what} (HTTP {(int)status}): {reason}{hint}",
            retryAfter: retryAfter is { } r && r > TimeSpan.Zero ? r : null);
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

    private static Uri ParseBaseUrl(string? url)
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
}
