using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.Logging;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Integration.Tests.Hub;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Security;

/// <summary>
/// A hub credential sent as the <c>access_token</c> query value (what browsers' WebSocket clients do) never reaches a
/// log: with every category at Trace, through the request log, authentication, routing, Kestrel and SignalR.
/// </summary>
public sealed class AccessTokenLogTests
{
    private sealed class TraceAppFactory : KestrelMonitorAppFactory
    {
        public ConcurrentQueue<string> Written { get; } = new();

        public TraceAppFactory()
        {
            Settings["Logging:LogLevel:Default"] = "Trace";
            Settings["Logging:LogLevel:Microsoft"] = "Trace";
            Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            Settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new EverythingProvider(Written)));
        }
    }

    /// <summary>Keeps each message and each structured value, as a JSON or OpenTelemetry exporter would write them.</summary>
    private sealed class EverythingProvider(ConcurrentQueue<string> written) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, written);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> written) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                written.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                written.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                    foreach (var (key, value) in values) written.Enqueue($"{category} {key}={value}");
            }
        }
    }

    [Fact]
    public async Task Access_token_query_values_are_absent_from_logs_at_trace()
    {
        using var app = new TraceAppFactory();
        const string refused = "mon_0000000000000000000000000000000000000042";

        await using (var live = await LiveClient.ConnectAsync(LiveClient.Build(app.ServerAddress, o =>
                     {
                         o.Transports = HttpTransportType.WebSockets;
                         o.SkipNegotiation = true;
                     }, "?access_token=" + ViewerKey)))
        {
            await live.SubscribeAsync();
        }
        using (var http = new HttpClient { BaseAddress = app.ServerAddress })
        {
            using var response = await http.PostAsync("/hubs/alerts/negotiate?negotiateVersion=1&access_token=" + refused, null);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var written = app.Written.ToArray();
        // The request log ran and named the hub: the check below looked at what would have carried the token.
        Assert.Contains(written, line => line.Contains("/hubs/alerts", StringComparison.Ordinal) && line.Contains("access_token=[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(written, line => line.Contains(ViewerKey, StringComparison.Ordinal));
        Assert.DoesNotContain(written, line => line.Contains(refused, StringComparison.Ordinal));
    }
}
