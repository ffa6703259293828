using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Monitor.Integration.Tests.Hub;

/// <summary>A client of <c>/hubs/alerts</c> as an outside program writes it: method names from the documented contract.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    public const string HubPath = "hubs/alerts";
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    private readonly Channel<JsonElement> _observations = Channel.CreateUnbounded<JsonElement>();

    private LiveClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("ObservationRecorded", o => _observations.Writer.TryWrite(o));
    }

    public HubConnection Connection { get; }

    public static HubConnection Build(Uri server, Action<HttpConnectionOptions> configure, string query = "") =>
        new HubConnectionBuilder().WithUrl(new Uri(server, HubPath + query), configure).Build();

    /// <summary>WebSockets straight away, with the key in the <c>X-Api-Key</c> header.</summary>
    public static Task<LiveClient> ConnectAsync(Uri server, string apiKey) =>
        ConnectAsync(Build(server, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.Headers["X-Api-Key"] = apiKey;
        }));

    public static async Task<LiveClient> ConnectAsync(HubConnection connection)
    {
        var client = new LiveClient(connection);
        await connection.StartAsync();
        return client;
    }

    public Task SubscribeAsync(string[]? regions = null, string[]? siteIds = null) =>
        Connection.InvokeAsync("Subscribe", new { regions, siteIds });

    public async Task<JsonElement> NextAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            return await _observations.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No ObservationRecorded within {(wait ?? DefaultWait).TotalSeconds} s.");
        }
    }

    /// <summary>Reads messages until one carries <paramref name="siteId"/>; returns the site ids of every message read, in order.</summary>
    public async Task<IReadOnlyList<string>> SiteIdsUntilAsync(string siteId)
    {
        var seen = new List<string>();
        while (true)
        {
            var id = (await NextAsync()).GetProperty("siteId").GetString()!;
            seen.Add(id);
            if (id == siteId) return seen;
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
