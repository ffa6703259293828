using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Integration.Tests.Hub;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>A hub client that keeps every <c>AlertChanged</c> it receives, in order, as an outside program would.</summary>
internal sealed class AlertClient : IAsyncDisposable
{
    private readonly Channel<JsonElement> _changes = Channel.CreateUnbounded<JsonElement>();

    private AlertClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("AlertChanged", alert => _changes.Writer.TryWrite(alert));
    }

    public HubConnection Connection { get; }

    public static async Task<AlertClient> ConnectAsync(Uri server, string apiKey)
    {
        var client = new AlertClient(LiveClient.Build(server, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.Headers["X-Api-Key"] = apiKey;
        }));
        await client.Connection.StartAsync();
        return client;
    }

    public Task SubscribeAsync(string[]? regions = null, string[]? siteIds = null, string? minSeverity = null) =>
        Connection.InvokeAsync("Subscribe", new { regions, siteIds, minSeverity });

    public Task<JsonElement[]> ResumeAsync(long lastSequence) => Connection.InvokeAsync<JsonElement[]>("Resume", lastSequence);

    /// <summary>The next change received, waiting at most <paramref name="wait"/> (5 s by default).</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? LiveClient.DefaultWait);
        try
        {
            return await _changes.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No AlertChanged within {(wait ?? LiveClient.DefaultWait).TotalSeconds} s.");
        }
    }

    /// <summary>Reads changes until one matches; returns every change read, the match last.</summary>
    public async Task<IReadOnlyList<JsonElement>> UntilAsync(Func<JsonElement, bool> match)
    {
        var seen = new List<JsonElement>();
        while (true)
        {
            var change = await NextAsync();
            seen.Add(change);
            if (match(change)) return seen;
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

internal static class AlertJson
{
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static long Sequence(this JsonElement e) => e.GetProperty("sequence").GetInt64();

    public static bool Is(this JsonElement e, string ruleId, string status) => e.Str("ruleId") == ruleId && e.Str("status") == status;
}
