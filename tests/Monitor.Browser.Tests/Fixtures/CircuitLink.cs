using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Monitor.Browser.Tests.Fixtures;

/// <summary>
/// Every way from a page to its circuit (the WebSocket, and the HTTP requests of negotiation and of the fallback
/// transports) routed through the test, so that a dropped connection has no way back until the test restores it.
/// </summary>
public sealed partial class CircuitLink
{
    private readonly ConcurrentBag<IWebSocketRoute> _sockets = [];

    private CircuitLink()
    {
    }

    public bool Blocked { get; private set; }

    /// <summary>Routes the page's connections; call before the page opens.</summary>
    public static async Task<CircuitLink> RouteAsync(IPage page)
    {
        var link = new CircuitLink();
        await page.RouteWebSocketAsync(BlazorHub(), link.Connect);
        await page.RouteAsync(BlazorHub(), route => link.Blocked ? route.AbortAsync("internetdisconnected") : route.ContinueAsync());
        return link;
    }

    public async Task DropAsync()
    {
        Blocked = true;
        foreach (var socket in _sockets) await socket.CloseAsync();
    }

    public void Restore() => Blocked = false;

    private void Connect(IWebSocketRoute socket)
    {
        if (Blocked)
        {
            _ = socket.CloseAsync();
            return;
        }
        socket.ConnectToServer();
        _sockets.Add(socket);
    }

    [GeneratedRegex(@"/_blazor")]
    private static partial Regex BlazorHub();
}
