using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monitor.TestServers;

/// <summary>
/// A real <c>influxd</c> (1.x, Debian's <c>influxdb</c> package) on free loopback ports with its own temporary data
/// directory. It can be stopped and started again on the same port and data, which is how outages are simulated.
/// </summary>
public sealed class InfluxdServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/influxd";

    private readonly string _root;
    private readonly string _configPath;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private InfluxdServer(string root, string configPath, int httpPort)
    {
        _root = root;
        _configPath = configPath;
        Url = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public Uri Url { get; }

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<InfluxdServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"{Executable} is missing. Run ./test.sh from the repository root: it installs Debian's 'influxdb' package.");
        }

        var root = Directory.CreateTempSubdirectory("monitor-influxd-").FullName;
        var httpPort = FreeLoopbackPort();
        var rpcPort = FreeLoopbackPort();
        var config = await ReadDefaultConfigAsync(cancellationToken);
        config = Rewrite(config, root, httpPort, rpcPort);
        var configPath = Path.Combine(root, "influxdb.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);

        var server = new InfluxdServer(root, configPath, httpPort);
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the process (again) on the same port and data directory and waits until /ping answers.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo(Executable, ["-config", _configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("influxd did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"influxd exited with code {_process.ExitCode}:\n{Output()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/ping"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.NoContent) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"influxd did not answer /ping within 30 s:\n{Output()}");
    }

    /// <summary>Kills the process; the data directory stays for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Runs one InfluxQL statement that changes the server (CREATE/DROP DATABASE …) and fails on any error.</summary>
    public async Task ExecuteAsync(string statement, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        using var body = new FormUrlEncodedContent([new("q", statement)]);
        using var response = await http.PostAsync(new Uri(Url, "/query"), body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || text.Contains("\"error\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"influxd refused '{statement}': {(int)response.StatusCode} {text}");
    }

    public string Output()
    {
        lock (_output) return _output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open at exit is left to the OS's temp cleanup.
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            // Keep the tail only: it is for failure messages.
            if (_output.Length > 64_000) _output.Remove(0, 32_000);
            _output.AppendLine(line);
        }
    }

    private static async Task<string> ReadDefaultConfigAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable, ["config"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("influxd config did not start.");
        var config = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return config;
    }

    private static string Rewrite(string config, string root, int httpPort, int rpcPort)
    {
        var section = "";
        var lines = new List<string>();
        foreach (var line in config.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('[')) section = trimmed;
            lines.Add(section switch
            {
                "" when trimmed.StartsWith("bind-address", StringComparison.Ordinal) => $"bind-address = \"127.0.0.1:{rpcPort}\"",
                "" when trimmed.StartsWith("reporting-", StringComparison.Ordinal) => "reporting-enabled = false",
                "[meta]" when trimmed.StartsWith("dir ", StringComparison.Ordinal) => $"  dir = \"{root}/meta\"",
                "[data]" when trimmed.StartsWith("dir ", StringComparison.Ordinal) => $"  dir = \"{root}/data\"",
                "[data]" when trimmed.StartsWith("wal-dir", StringComparison.Ordinal) => $"  wal-dir = \"{root}/wal\"",
                "[data]" when trimmed.StartsWith("query-log-enabled", StringComparison.Ordinal) => "  query-log-enabled = false",
                "[monitor]" when trimmed.StartsWith("store-enabled", StringComparison.Ordinal) => "  store-enabled = false",
                "[http]" when trimmed.StartsWith("bind-address", StringComparison.Ordinal) => $"  bind-address = \"127.0.0.1:{httpPort}\"",
                "[http]" when trimmed.StartsWith("log-enabled", StringComparison.Ordinal) => "  log-enabled = false",
                _ => line,
            });
        }
        return string.Join('\n', lines);
    }
}
