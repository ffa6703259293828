using Monitor.TestServers;
using System.Diagnostics;
using System.Text.Json;

namespace Monitor.Bench;

/// <summary>Where the benchmark's clients send batches, and how a run learns that the last point is queryable.</summary>
public abstract class IngestTarget(HttpClient http)
{
    /// <summary>The label used in the report: "direct" or "API".</summary>
    public abstract string Path { get; }

    /// <summary>The processes whose CPU time the run accounts for by name.</summary>
    public abstract IReadOnlyDictionary<string, int> Processes { get; }

    /// <summary>The bodies this path sends for a load.</summary>
    public abstract IReadOnlyList<byte[]> Bodies(IngestPayloads payloads);

    public abstract Task SendAsync(byte[] body);

    /// <summary>Points influxd has written for this target so far (see <see cref="QueryableCount.WrittenAsync"/>).</summary>
    public abstract Task<long> WrittenAsync();

    /// <summary>Waits until influxd has written <paramref name="written"/> points and all of the load's are queryable.</summary>
    public abstract Task<Completion> WaitQueryableAsync(long written, IngestPayloads payloads, Stopwatch clock);

    /// <summary>Posts a body and returns the answer's text, which must carry <paramref name="expectedStatus"/>.</summary>
    protected async Task<string> PostAsync(Uri url, byte[] body, string? contentType, int expectedStatus)
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = new(contentType);
        using var response = await http.PostAsync(url, content);
        var answer = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != expectedStatus)
            throw new InvalidOperationException($"POST {url.AbsolutePath}: {(int)response.StatusCode} {answer}");
        return answer;
    }

    protected static Dictionary<string, int> Running(params (string Name, int? Pid)[] processes) =>
        processes.Where(p => p.Pid is not null).ToDictionary(p => p.Name, p => p.Pid!.Value);
}

/// <summary>The baseline: the app's own lines posted straight to influxd's <c>/write</c>, uncompressed.</summary>
public sealed class LineProtocolTarget(HttpClient http, BenchInfluxd influxd, string database) : IngestTarget(http)
{
    private readonly Uri _write = new(influxd.Server.Url, $"write?db={Uri.EscapeDataString(database)}&precision=ms");

    public override string Path => "direct";
    public override IReadOnlyDictionary<string, int> Processes => Running(("bench", Environment.ProcessId), ("influxd", influxd.Server.ProcessId));

    public override IReadOnlyList<byte[]> Bodies(IngestPayloads payloads) => payloads.Lines;

    public override Task SendAsync(byte[] body) => PostAsync(_write, body, contentType: null, expectedStatus: 204);

    public override Task<long> WrittenAsync() => influxd.Queryable.WrittenAsync(database);

    public override Task<Completion> WaitQueryableAsync(long written, IngestPayloads payloads, Stopwatch clock) =>
        influxd.Queryable.WaitAsync(database, written, payloads.IndicatorId, payloads.Points, clock);
}

/// <summary>
/// <c>POST /api/observations</c> through the app. On InfluxDB a point is done when influxd shows it; on the embedded
/// store (no <paramref name="database"/>) the 202 itself means committed to the store, and so queryable.
/// </summary>
public sealed class ApiTarget(HttpClient http, AppProcess app, BenchInfluxd influxd, string? database) : IngestTarget(http)
{
    private readonly Uri _post = new(app.Url, "/api/observations");

    public override string Path => "API";
    public override IReadOnlyDictionary<string, int> Processes =>
        Running(("bench", Environment.ProcessId), ("app", app.Id), ("influxd", influxd.Server.ProcessId));

    public override IReadOnlyList<byte[]> Bodies(IngestPayloads payloads) => payloads.Json;

    private long _lastSequence;

    /// <summary>The highest ingest sequence the app has answered with so far: the next batch it accepts gets a higher one.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public override async Task SendAsync(byte[] body)
    {
        using var answer = JsonDocument.Parse(await PostAsync(_post, body, "application/json", expectedStatus: 202));
        if (answer.RootElement.TryGetProperty("sequence", out var sequence) && sequence.ValueKind == JsonValueKind.Number)
        {
            var value = sequence.GetInt64();
            for (var last = LastSequence; value > last; last = LastSequence)
                if (Interlocked.CompareExchange(ref _lastSequence, value, last) == last) break;
        }
    }

    public override Task<long> WrittenAsync() => database is null ? Task.FromResult(0L) : influxd.Queryable.WrittenAsync(database);

    public override Task<Completion> WaitQueryableAsync(long written, IngestPayloads payloads, Stopwatch clock) =>
        database is null
            ? Task.FromResult(new Completion(clock.Elapsed, 0))
            : influxd.Queryable.WaitAsync(database, written, payloads.IndicatorId, payloads.Points, clock);
}
