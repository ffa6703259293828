using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Monitor.Bench;

/// <summary>
/// A SignalR client cut down to what an alert listener does, speaking the JSON hub protocol over one WebSocket itself:
/// the handshake, one <c>Subscribe</c> invocation, pings, and each <c>AlertChanged</c> handed on as the changed site and
/// value. The server cannot tell it from any other client. It exists because the benchmark's clients share the two
/// cores with the app: a .NET <c>HubConnection</c> spends several times as much CPU per message received (its own
/// pipes, transport loop and a full deserialisation), which on loopback is taken from the server being measured.
/// </summary>
public sealed class WireHubClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string, double?> _alertChanged;
    private readonly TaskCompletionSource _handshaken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;

    private WireHubClient(Action<string, double?> alertChanged) => _alertChanged = alertChanged;

    /// <summary>Connects (WebSockets, no negotiation), completes the handshake and subscribes; then calls
    /// <paramref name="alertChanged"/> with the site and value of every <c>AlertChanged</c>.</summary>
    public static async Task<WireHubClient> ConnectAsync(Uri hub, string apiKey, object subscription, Action<string, double?> alertChanged)
    {
        var client = new WireHubClient(alertChanged);
        client._socket.Options.SetRequestHeader("X-Api-Key", apiKey);
        var address = new UriBuilder(hub) { Scheme = hub.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        await client._socket.ConnectAsync(address, CancellationToken.None);
        client._receiving = client.ReceiveAsync();
        await client.SendAsync(Handshake);
        await client._handshaken.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var invocation = JsonSerializer.SerializeToUtf8Bytes(new { type = 1, invocationId = "1", target = "Subscribe", arguments = new[] { subscription } });
        await client.SendAsync((byte[])[.. invocation, RecordSeparator]);
        if (await client._subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30)) is { } error)
            throw new InvalidOperationException($"Subscribe was refused: {error}");
        client._pinging = client.PingAsync();
        return client;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>The server drops a client it has not heard from within its timeout (30 s by default).</summary>
    private async Task PingAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) await SendAsync(Ping);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                buffer.Advance(result.Count);
                var pending = buffer.WrittenMemory;
                int end;
                while ((end = pending.Span.IndexOf(RecordSeparator)) >= 0)
                {
                    Handle(pending.Span[..end]);
                    pending = pending[(end + 1)..];
                }
                if (pending.Length == buffer.WrittenCount) continue;
                var rest = pending.ToArray();
                buffer.ResetWrittenCount();
                buffer.Write(rest);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closing, or the server went away: the run reports what was not received.
        }
        finally
        {
            _handshaken.TrySetException(new InvalidOperationException("The connection closed before the handshake."));
            _subscribed.TrySetResult("the connection closed");
        }
    }

    /// <summary>One hub protocol message: the handshake answer, a completion, a ping, or an invocation.</summary>
    private void Handle(ReadOnlySpan<byte> record)
    {
        if (!_handshaken.Task.IsCompleted)
        {
            // "{}" or {"error":"…"}.
            if (record.IndexOf("\"error\""u8) >= 0) _handshaken.TrySetException(new InvalidOperationException(Encoding.UTF8.GetString(record)));
            else _handshaken.TrySetResult();
            return;
        }

        var reader = new Utf8JsonReader(record);
        int? type = null;
        string? target = null, siteId = null, error = null;
        double? value = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            // Depth 1: the message's own properties; depth 3: those of its first argument (an object in an array).
            var depth = reader.CurrentDepth;
            if (depth == 1 && reader.ValueTextEquals("type")) { reader.Read(); type = reader.GetInt32(); }
            else if (depth == 1 && reader.ValueTextEquals("target")) { reader.Read(); target = reader.GetString(); }
            else if (depth == 1 && reader.ValueTextEquals("error")) { reader.Read(); error = reader.GetString(); }
            else if (depth == 3 && reader.ValueTextEquals("siteId")) { reader.Read(); siteId = reader.GetString(); }
            else if (depth == 3 && reader.ValueTextEquals("value")) { reader.Read(); value = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null; }
            else if (depth > 1) reader.Skip();
        }

        switch (type)
        {
            case 1 when target == "AlertChanged" && siteId is not null:
                _alertChanged(siteId, value);
                break;
            case 3:
                _subscribed.TrySetResult(error);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Already gone.
        }
        await _stop.CancelAsync();
        await Task.WhenAll(_receiving, _pinging);
        _socket.Dispose();
        _stop.Dispose();
    }
}
