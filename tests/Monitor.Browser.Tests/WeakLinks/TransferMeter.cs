using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Monitor.Browser.Tests.WeakLinks;

/// <summary>
/// Bytes a page moves over the network, from Chromium's debugging protocol: each HTTP response's encoded length
/// (compressed body plus headers; nothing for what the cache served), and each WebSocket frame of the live connection,
/// both ways. The protocol reports frames decompressed, while the connection runs permessage-deflate: each frame counts
/// as its payload deflated on its own at the fastest level, more than the wire carries (which also reuses the window).
/// </summary>
public sealed class TransferMeter
{
    private long _http;
    private long _webSocket;
    private readonly List<string> _responses = [];

    public long HttpBytes => Interlocked.Read(ref _http);

    public long WebSocketBytes => Interlocked.Read(ref _webSocket);

    public long TotalBytes => HttpBytes + WebSocketBytes;

    /// <summary>The URLs that reached the network, with their bytes: what to look at when a budget is exceeded.</summary>
    public string Describe()
    {
        lock (_responses) return string.Join("\n", _responses);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _http, 0);
        Interlocked.Exchange(ref _webSocket, 0);
        lock (_responses) _responses.Clear();
    }

    public static async Task<TransferMeter> StartAsync(IPage page)
    {
        var meter = new TransferMeter();
        var urls = new Dictionary<string, string>();
        var cdp = await page.Context.NewCDPSessionAsync(page);
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            lock (urls) urls[e!.Value.GetProperty("requestId").GetString()!] = e.Value.GetProperty("response").GetProperty("url").GetString()!;
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            var bytes = (long)e!.Value.GetProperty("encodedDataLength").GetDouble();
            Interlocked.Add(ref meter._http, bytes);
            string? url;
            lock (urls) urls.TryGetValue(e.Value.GetProperty("requestId").GetString()!, out url);
            lock (meter._responses) meter._responses.Add($"{bytes,9:N0}  {url}");
        };
        cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) => Interlocked.Add(ref meter._webSocket, FrameBytes(e!.Value));
        cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) => Interlocked.Add(ref meter._webSocket, FrameBytes(e!.Value));
        await cdp.SendAsync("Network.enable");
        return meter;
    }

    /// <summary>Text frames come as text, binary frames (Blazor's own protocol) as base64.</summary>
    private static long FrameBytes(JsonElement e)
    {
        var response = e.GetProperty("response");
        var payload = response.GetProperty("payloadData").GetString() ?? "";
        var bytes = response.GetProperty("opcode").GetDouble() == 2 ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(payload);
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(bytes);
        // A frame header of 2 to 10 bytes; never more than the frame would take uncompressed.
        return Math.Min(deflated.Length, bytes.Length) + (bytes.Length < 126 ? 2 : bytes.Length < 65_536 ? 4 : 10);
    }
}
