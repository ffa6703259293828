using System.Net;
using System.Net.Sockets;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>
/// A TCP relay on a loopback port in front of the app: clients connect to <see cref="Url"/>, and <see cref="CutAll"/>
/// resets every connection at once, as a dropped mobile link or a crashed proxy does — neither side says goodbye.
/// </summary>
internal sealed class LoopbackRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;

    public LoopbackRelay(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>While set, new connections are accepted and reset at once: the server looks down from the client's side.</summary>
    public bool Refusing { get; set; }

    /// <summary>Resets every relayed connection (RST on both sides); new connections are relayed as before.</summary>
    public void CutAll()
    {
        Socket[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var socket in open)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                if (Refusing)
                {
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    continue;
                }
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(_target, _stop.Token);
                }
                catch (SocketException)
                {
                    client.Close();
                    server.Dispose();
                    continue;
                }
                lock (_open) _open.AddRange([client, server]);
                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Cut, or the other side went away: the peer pump ends the same way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _accepting;
        _stop.Dispose();
    }
}
