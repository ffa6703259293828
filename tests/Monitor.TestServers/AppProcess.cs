using System.Diagnostics;
using System.Net;

namespace Monitor.TestServers;

/// <summary>
/// The Monitor app as its own process (<c>dotnet Monitor.Web.dll</c>) on a free loopback port, configured through
/// environment variables, for benchmarks and for fault tests that kill it the way a crash would.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 300;
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly HttpClient _http;
    private bool _disposed;

    private AppProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary><c>/healthz</c> answers one of these once the app has started: it serves, whatever the state of its store.</summary>
    public static bool Serving(string health) =>
        health.StartsWith("Healthy", StringComparison.Ordinal) || health.StartsWith("Degraded", StringComparison.Ordinal);

    /// <summary>The app's build output beside the running assembly (a project that references Monitor.Web has it there).</summary>
    public static string BesideThisAssembly() => Path.Combine(AppContext.BaseDirectory, "Monitor.Web.dll");

    /// <summary>
    /// Starts the app and waits until <c>/healthz</c> answers a text <paramref name="ready"/> accepts (by default
    /// exactly <c>Healthy</c>). Settings are environment variables (<c>Section__Key</c>); they override the defaults
    /// here (Production, warnings and errors logged). <paramref name="url"/> restarts the app on the address an earlier
    /// instance had (its clients reconnect there); without it, a free loopback port is picked. <paramref name="cpus"/>
    /// confines the app to some CPUs (<see cref="CpuAffinity"/>).
    /// </summary>
    public static async Task<AppProcess> StartAsync(
        string appDll, IReadOnlyDictionary<string, string> settings, Func<string, bool>? ready = null, TimeSpan? timeout = null, Uri? url = null,
        string? cpus = null)
    {
        if (url is not null) return await StartAtAsync(url, appDll, settings, ready ?? (health => health == "Healthy"), timeout ?? DefaultStartTimeout, cpus);

        // A free port is picked, then bound by the app a moment later; another process can win that race, so retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var free = new Uri($"http://127.0.0.1:{InfluxdServer.FreeLoopbackPort()}/");
                return await StartAtAsync(free, appDll, settings, ready ?? (health => health == "Healthy"), timeout ?? DefaultStartTimeout, cpus);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<AppProcess> StartAtAsync(
        Uri url, string appDll, IReadOnlyDictionary<string, string> settings, Func<string, bool> ready, TimeSpan timeout, string? cpus)
    {
        // The SDK names the dotnet it runs under; outside it, the one on the PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { appDll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        if (cpus is not null) CpuAffinity.Confine(start, cpus);

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var app = new AppProcess(process, url);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        string? last = null;
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                // Let the output readers catch up with what the process wrote before it ended.
                await process.WaitForExitAsync();
                var message = $"The app exited with code {process.ExitCode} while starting. Its output:\n{app.Output}";
                await app.DisposeAsync();
                throw new InvalidOperationException(message);
            }
            last = await app.HealthAsync() ?? last;
            if (last is not null && ready(last)) return app;
            await Task.Delay(100);
        }
        var output = app.Output;
        await app.DisposeAsync();
        throw new TimeoutException($"The app was not ready within {timeout.TotalSeconds:0} s (last /healthz: {last ?? "no answer"}). Its output:\n{output}");
    }

    /// <summary>What <c>/healthz</c> answers (also when 503), or null when the app does not answer.</summary>
    public async Task<string?> HealthAsync()
    {
        try
        {
            using var response = await _http.GetAsync("healthz");
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable
                ? await response.Content.ReadAsStringAsync()
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The last lines the app wrote to its console.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.Count == 0 ? "(nothing)" : string.Join('\n', _output);
        }
    }

    /// <summary>Ends the app at once, as <c>kill -9</c> does (SIGKILL on Linux): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await KillAsync();
        _process.Dispose();
        _http.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines) _output.Dequeue();
        }
    }
}
