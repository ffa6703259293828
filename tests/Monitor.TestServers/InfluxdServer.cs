using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monitor.TestServers;

/// <summary>
/// A real InfluxDB 1.x (<c>influxd</c> from Debian's <c>influxdb</c> package) on free loopback ports with a
/// temporary data directory, for as long as the tests that share it run. <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> make outages; the data directory and the ports survive a restart.
/// </summary>
public class InfluxdServer : IAsyncDisposable
{
    public const string InfluxdPath = "/usr/bin/influxd";
    private const int KeptOutputLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "monitor-influxd-" + Guid.NewGuid().ToString("N"));
    private readonly Queue<string> _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string ConfigPath => Path.Combine(_directory, "influxd.conf");
    private Process? _process;

    /// <summary>The HTTP API, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The CPUs influxd runs on (a <c>taskset</c> list such as <c>1</c>), or null for all of them.</summary>
    public string? Cpus { get; init; }

    /// <summary>The running influxd's process id (for the benchmark's CPU accounting), or null while it is stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public async Task InitializeAsync()
    {
        if (!File.Exists(InfluxdPath))
        {
            throw new InvalidOperationException(
                $"Monitor's tests and benchmarks need a real InfluxDB 1.x server, but {InfluxdPath} does not exist. Run the test command " +
                "from the README, which installs it (apt-get install -y influxdb), or install that package yourself.");
        }

        Directory.CreateDirectory(_directory);
        var defaults = await DefaultConfigAsync();

        // Free ports are picked, then bound by influxd a moment later; another process can win that race, so retry.
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreeLoopbackPort();
            var rpcPort = FreeLoopbackPort();
            await File.WriteAllTextAsync(ConfigPath, Configure(defaults, httpPort, rpcPort));
            Url = new Uri($"http://127.0.0.1:{httpPort}/");
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && OutputMentions("address already in use"))
            {
                await StopAsync();
            }
        }
    }

    /// <summary>Starts influxd (again) with the same configuration and waits until it answers /ping.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) return;

        lock (_output) _output.Clear();
        var start = new ProcessStartInfo(InfluxdPath)
        {
            ArgumentList = { "-config", ConfigPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Cpus is not null) CpuAffinity.Confine(start, Cpus);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{InfluxdPath} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"influxd exited with code {_process.ExitCode} before answering on {Url}. Its output:\n{Output()}");
            }
            if (await AnswersPingAsync()) return;
            await Task.Delay(100);
        }

        await StopAsync();
        throw new InvalidOperationException($"influxd did not answer {Url}ping within {StartTimeout.TotalSeconds} s. Its output:\n{Output()}");
    }

    /// <summary>Kills influxd, as a crash or an outage would; the data on disk stays.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        using var process = _process;
        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public Task CreateDatabaseAsync(string name) => QueryAsync($"CREATE DATABASE {Identifier(name)}");

    public Task DropDatabaseAsync(string name) => QueryAsync($"DROP DATABASE {Identifier(name)}");

    /// <summary>Writes line protocol as it is, at millisecond precision, bypassing the app.</summary>
    public async Task WriteLinesAsync(string database, string lines)
    {
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(new Uri(Url, $"write?db={Uri.EscapeDataString(database)}&precision=ms"), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"influxd refused the write ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Runs InfluxQL and returns the raw JSON answer; fails on any error in it.</summary>
    public async Task<string> QueryAsync(string influxQl, string? database = null)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl, ["epoch"] = "ms" };
        if (database is not null) form["db"] = database;
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(new Uri(Url, "query"), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"influxd could not run '{influxQl}' ({(int)response.StatusCode}): {body}");
        }
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await StopAsync();
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is not worth failing a test run for.
        }
    }

    private static async Task<string> DefaultConfigAsync()
    {
        var start = new ProcessStartInfo(InfluxdPath)
        {
            ArgumentList = { "config" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{InfluxdPath} config did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{InfluxdPath} config' failed with code {process.ExitCode}: {await stderr}");
        }
        return await stdout;
    }

    /// <summary>Rewrites influxd's default configuration: our directories and ports, and no telemetry or chatter.</summary>
    private string Configure(string defaults, int httpPort, int rpcPort)
    {
        string Quoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

        var required = new Dictionary<(string Section, string Key), string>
        {
            [("", "bind-address")] = Quoted($"127.0.0.1:{rpcPort}"),
            [("meta", "dir")] = Quoted(Path.Combine(_directory, "meta")),
            [("data", "dir")] = Quoted(Path.Combine(_directory, "data")),
            [("data", "wal-dir")] = Quoted(Path.Combine(_directory, "wal")),
            [("http", "bind-address")] = Quoted($"127.0.0.1:{httpPort}"),
        };
        var quiet = new Dictionary<(string Section, string Key), string>
        {
            // Debian's build names the setting reporting-enabled; upstream's is reporting-disabled.
            [("", "reporting-enabled")] = "false",
            [("", "reporting-disabled")] = "true",
            [("meta", "logging-enabled")] = "false",
            [("data", "query-log-enabled")] = "false",
            [("monitor", "store-enabled")] = "false",
            [("http", "log-enabled")] = "false",
            [("http", "pprof-enabled")] = "false",
            [("continuous_queries", "log-enabled")] = "false",
            [("logging", "level")] = Quoted("warn"),
            [("logging", "suppress-logo")] = "true",
        };

        var section = "";
        var applied = new HashSet<(string, string)>();
        var lines = new List<string>();
        foreach (var line in defaults.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('['))
            {
                section = trimmed.Trim('[', ']');
            }
            else if (trimmed.IndexOf('=') is > 0 and var equals)
            {
                var key = (section, trimmed[..equals].Trim());
                if (required.TryGetValue(key, out var value) || quiet.TryGetValue(key, out value))
                {
                    lines.Add($"  {key.Item2} = {value}");
                    applied.Add(key);
                    continue;
                }
            }
            lines.Add(line);
        }

        var missing = required.Keys.Where(k => !applied.Contains(k)).Select(k => $"[{k.Section}] {k.Key}").ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"'influxd config' printed no {string.Join(", ", missing)}; this fixture expects InfluxDB 1.x.");
        }
        return string.Join('\n', lines);
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(Url, "ping"));
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Identifier(string name) =>
        "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines) _output.Dequeue();
        }
    }

    private string Output()
    {
        lock (_output) return _output.Count == 0 ? "(nothing)" : string.Join('\n', _output);
    }

    private bool OutputMentions(string text)
    {
        lock (_output) return _output.Any(line => line.Contains(text, StringComparison.OrdinalIgnoreCase));
    }
}
