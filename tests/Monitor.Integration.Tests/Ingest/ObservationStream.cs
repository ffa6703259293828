using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>One reading as the client sends it and as InfluxDB gives it back: time in milliseconds and the value.</summary>
public readonly record struct Reading(long TimeMs, double Value);

/// <summary>
/// What a client was told about each batch it sent, across app restarts: the answer is the contract under test. Every
/// reading has its own timestamp (one series, a second apart) and a value derived from it, so nothing collides.
/// </summary>
public sealed class BatchLedger(string siteId, string indicatorId, DateTimeOffset firstTimestamp)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, double> _answered = [];
    private readonly List<string> _refused = [];
    private readonly List<IReadOnlyList<Reading>> _unanswered = [];
    private long _next;
    private int _answeredBatches;

    /// <summary>Readings answered 202, by time.</summary>
    public IReadOnlyDictionary<long, double> Answered
    {
        get
        {
            lock (_gate) return new Dictionary<long, double>(_answered);
        }
    }

    /// <summary>Batches answered with anything but 202 and all of them accepted: each with its status and body.</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_gate) return _refused.ToArray();
        }
    }

    /// <summary>Batches that got no answer (the app was killed while they were in flight): stored whole or not at all.</summary>
    public IReadOnlyList<IReadOnlyList<Reading>> Unanswered
    {
        get
        {
            lock (_gate) return _unanswered.ToArray();
        }
    }

    public int AnsweredBatches => Volatile.Read(ref _answeredBatches);

    /// <summary>Readings taken for batches so far, answered or not.</summary>
    public long Sent => Interlocked.Read(ref _next);

    /// <summary>The next <paramref name="size"/> readings, each a second after the one before.</summary>
    public IReadOnlyList<Reading> Take(int size)
    {
        var first = Interlocked.Add(ref _next, size) - size;
        var start = firstTimestamp.ToUnixTimeMilliseconds();
        return Enumerable.Range(0, size)
            .Select(i => first + i)
            .Select(n => new Reading(start + n * 1_000, n % 10_000 / 100.0))
            .ToArray();
    }

    /// <summary>Posts one batch and records the answer; false when the app did not answer at all.</summary>
    public async Task<bool> PostAsync(HttpClient client, IReadOnlyList<Reading> batch)
    {
        var body = batch.Select(r => new
        {
            siteId,
            indicatorId,
            timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs),
            value = r.Value,
            source = "fault test",
        });

        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync("api/observations", body, JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            lock (_gate) _unanswered.Add(batch);
            return false;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var accepted = response.StatusCode == HttpStatusCode.Accepted
                ? JsonNode.Parse(text)?["accepted"]?.GetValue<int>()
                : null;
            lock (_gate)
            {
                if (accepted == batch.Count)
                {
                    foreach (var reading in batch) _answered.Add(reading.TimeMs, reading.Value);
                    _answeredBatches++;
                }
                else
                {
                    _refused.Add($"{(int)response.StatusCode} for a batch of {batch.Count}: {text}");
                }
            }
        }
        return true;
    }
}

/// <summary>
/// A client posting small batches to one app, one after another at a steady pace, until stopped or until the app no
/// longer answers (it was killed).
/// </summary>
public sealed class ObservationStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _client;
    private readonly Task _loop;

    private ObservationStream(Uri app, string apiKey, BatchLedger ledger, int batchSize, TimeSpan pace)
    {
        _client = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        _loop = RunAsync(ledger, batchSize, pace);
    }

    public static ObservationStream Start(Uri app, string apiKey, BatchLedger ledger, int batchSize = 50, TimeSpan? pace = null) =>
        new(app, apiKey, ledger, batchSize, pace ?? TimeSpan.FromMilliseconds(10));

    /// <summary>Stops after the batch in flight has its answer.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _client.Dispose();
    }

    private async Task RunAsync(BatchLedger ledger, int batchSize, TimeSpan pace)
    {
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            // A batch once sent is never cancelled by the test: its answer is what the test checks.
            if (!await ledger.PostAsync(_client, ledger.Take(batchSize))) return;
            try
            {
                await Task.Delay(pace, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
