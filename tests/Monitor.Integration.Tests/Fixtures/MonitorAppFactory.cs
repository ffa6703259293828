using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Web.Accounts;

namespace Monitor.Integration.Tests.Fixtures;

/// <summary>
/// The real app on the embedded store, configured in memory: its own temporary data directory, the
/// <see cref="TestScenario"/> as seed, an empty dashboards folder and one API key per role; no user accounts until a
/// test creates them (<see cref="TestAccounts"/>). Logs are captured in <see cref="Logs"/>, what the app prints for its
/// operator in <see cref="OperatorOutput"/>. Set <see cref="DataDirectory"/> and <see cref="Settings"/> before the first request.
/// </summary>
public class MonitorAppFactory : WebApplicationFactory<Program>
{
    private readonly string _root;

    public MonitorAppFactory()
    {
        _root = Directory.CreateTempSubdirectory("monitor-tests-").FullName;
        DataDirectory = Path.Combine(_root, "data");
        SeedDirectory = Path.Combine(_root, "seed");
        DashboardsDirectory = Path.Combine(_root, "dashboards");
        TestScenario.Write(SeedDirectory);
        Directory.CreateDirectory(DashboardsDirectory);
    }

    /// <summary>Where the embedded databases live; point two factories at one folder to restart "the same" app.</summary>
    public string DataDirectory { get; init; }

    public string SeedDirectory { get; }

    public string DashboardsDirectory { get; }

    /// <summary>Settings that override (or add to) the defaults, e.g. a broken API key.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public CapturedLogs Logs { get; } = new();

    /// <summary>Service changes a test needs (e.g. holding the outbox drain so it runs only when asked).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    private readonly StringWriter _operatorOutput = new();

    /// <summary>What the app printed for its operator (demo passwords); written while the app starts, before it serves.</summary>
    public string OperatorOutput => _operatorOutput.ToString();

    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Monitor:DataDirectory"] = DataDirectory,
            ["Monitor:SeedDirectory"] = SeedDirectory,
            ["Monitor:DashboardsDirectory"] = DashboardsDirectory,
            ["Storage:Provider"] = "Embedded",
            // The factory runs in Development, whose settings turn demo mode on; tests that want it say so.
            ["Monitor:DemoUsers"] = "false",
            // Likewise the demo feed: tests read the scenario on its real 2014 dates.
            ["Monitor:DemoFeed:Enabled"] = "false",
            // Tests sign in many times from one address; the limit itself is tested with a low setting of its own.
            ["RateLimits:Login:PermitLimit"] = "100000",
        };
        var index = 0;
        foreach (var (role, key) in TestScenario.KeysByRole)
        {
            settings[$"Auth:ApiKeys:{index}:Name"] = $"test {role.ToLowerInvariant()}";
            settings[$"Auth:ApiKeys:{index}:Key"] = key;
            settings[$"Auth:ApiKeys:{index}:Role"] = role;
            index++;
        }
        foreach (var (key, value) in Settings) settings[key] = value;
        foreach (var (key, value) in settings) builder.UseSetting(key, value);

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new OperatorConsole(_operatorOutput));
            TestServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only costs temp space.
        }
    }
}

/// <summary>The app on a real Kestrel socket (127.0.0.1, a free port), for WebSocket clients.</summary>
public class KestrelMonitorAppFactory : MonitorAppFactory
{
    public KestrelMonitorAppFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    /// <summary>The listening address, e.g. <c>http://127.0.0.1:41234/</c>; starts the server on first use.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            return new Uri(addresses.First().TrimEnd('/') + "/");
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

public sealed class CapturedLogs
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    internal void Add(LogEntry entry) => _entries.Enqueue(entry);
}

internal sealed class CapturingLoggerProvider(CapturedLogs logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, logs);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) logs.Add(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
