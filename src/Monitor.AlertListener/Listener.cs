using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Monitor.AlertListener;

/// <summary>
/// Connects to <c>/hubs/alerts</c>, asks with <c>Resume</c> for every change after the last one seen, subscribes, and
/// prints each change once as it arrives; when the connection ends, waits (<see cref="Backoff"/>) and does it all again,
/// until cancelled. Changes pushed while a connection catches up are held back and printed in sequence order after the
/// ones it caught up with.
/// </summary>
public sealed class Listener
{
    private const string HubPath = "hubs/alerts";

    private readonly ListenerOptions _options;
    private readonly TextWriter _output;
    private readonly TextWriter _status;
    private readonly AlertFilter _filter;
    private readonly Lock _gate = new();
    private ChangeLedger? _ledger;
    private List<JsonElement>? _held;

    /// <param name="output">Where changes are printed (standard output).</param>
    /// <param name="status">Where connection news and errors go (standard error).</param>
    public Listener(ListenerOptions options, TextWriter output, TextWriter status)
    {
        _options = options;
        _output = output;
        _status = status;
        _filter = AlertFilter.Of(options);
    }

    /// <summary>The sequence to resume after; null until the starting point is known.</summary>
    public long? LastSequence
    {
        get
        {
            lock (_gate) return _ledger?.LastSequence;
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; returns the process's exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var start = _options.StateFile is { } path ? SequenceFile.Read(path) ?? _options.Since : _options.Since;
        if (start is not null) _ledger = new ChangeLedger(start.Value);
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = Connect();
                var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                connection.Closed += error =>
                {
                    closed.TrySetResult(error);
                    return Task.CompletedTask;
                };
                await CatchUpAsync(connection, cancellationToken);
                attempt = 0;
                var error = await closed.Task.WaitAsync(cancellationToken);
                Status($"Connection lost{(error is null ? "" : ": " + error.Message)}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                Status($"The server refused the API key ({(int)ex.StatusCode} {ex.StatusCode}); check --api-key or {ListenerOptions.ApiKeyVariable}.");
                return ExitCodes.Refused;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or HubException or InvalidOperationException
                or System.Net.WebSockets.WebSocketException or TimeoutException or OperationCanceledException)
            {
                Status($"Not connected: {ex.Message}");
            }
            finally
            {
                lock (_gate) _held = null;
            }

            var delay = Backoff.Delay(++attempt, Random.Shared.NextDouble());
            Status($"Reconnecting in {delay.TotalSeconds:0.0} s (attempt {attempt}).");
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return ExitCodes.Stopped;
    }

    private HubConnection Connect()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_options.Server, HubPath), http => http.AccessTokenProvider = () => Task.FromResult<string?>(_options.ApiKey))
            .Build();
        connection.On<JsonElement>("AlertChanged", OnPushed);
        return connection;
    }

    /// <summary>
    /// Prints what was missed (every change after the last one seen, page by page), then subscribes. Until it subscribes
    /// the connection is unfiltered, so the listener applies its filter itself; pushes that arrive meanwhile are held
    /// back and printed after the missed ones, in sequence order.
    /// </summary>
    private async Task CatchUpAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        lock (_gate) _held = [];
        await connection.StartAsync(cancellationToken);
        if (LastSequence is null)
        {
            var now = await CurrentSequenceAsync(cancellationToken);
            lock (_gate) _ledger ??= new ChangeLedger(now);
        }

        while (true)
        {
            var missed = await connection.InvokeAsync<JsonElement[]>("Resume", LastSequence!.Value, cancellationToken);
            if (missed.Length == 0) break;
            lock (_gate)
            {
                foreach (var alert in missed) Print(alert);
            }
        }
        await connection.InvokeAsync("Subscribe", _filter.ToSubscription(), cancellationToken);

        lock (_gate)
        {
            foreach (var alert in (_held ?? []).OrderBy(SequenceOf)) Print(alert);
            _held = null;
        }
        Status($"Connected to {_options.Server}; up to date at sequence {LastSequence}.");
    }

    private void OnPushed(JsonElement alert)
    {
        lock (_gate)
        {
            if (_held is not null) _held.Add(alert.Clone());
            else Print(alert);
        }
    }

    /// <summary>Prints a change unless it was printed before or lies outside the subscription. Called under the gate.</summary>
    private void Print(JsonElement alert)
    {
        AlertChange change;
        try
        {
            change = AlertChange.Read(alert);
        }
        catch (FormatException ex)
        {
            Status($"Ignored a message that is not an alert: {ex.Message}");
            return;
        }
        if (_ledger is null) return;
        if (!_filter.Matches(change))
        {
            _ledger.Pass(change.Sequence);
            return;
        }
        if (!_ledger.TryAccept(change.Id, change.Sequence)) return;
        _output.WriteLine(_options.Json ? change.Json : AlertLine.Format(change));
        _output.Flush();
        if (_options.StateFile is not { } path) return;
        try
        {
            SequenceFile.Write(path, _ledger.LastSequence);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Status($"Could not save the sequence in {path}: {ex.Message}");
        }
    }

    /// <summary>The sequence of the newest change the server has recorded: a fresh listener prints what comes after it.</summary>
    private async Task<long> CurrentSequenceAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = _options.Server, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", _options.ApiKey);
        using var response = await http.GetAsync("api/alerts?status=all&limit=1", cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET /api/alerts answered {(int)response.StatusCode}.", null, response.StatusCode);
        var newest = await response.Content.ReadFromJsonAsync<JsonElement[]>(cancellationToken) ?? [];
        return newest.Length == 0 ? 0 : SequenceOf(newest[0]);
    }

    private static long SequenceOf(JsonElement alert) =>
        alert.ValueKind == JsonValueKind.Object && alert.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var sequence) ? sequence : 0;

    private void Status(string message)
    {
        lock (_status) _status.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss'Z'}  {message}");
    }
}
