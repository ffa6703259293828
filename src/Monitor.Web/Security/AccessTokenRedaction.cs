using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Monitor.Web.Security;

/// <summary>
/// Keeps <c>access_token</c> query values (the hub's credential from browsers' WebSocket clients) out of every log, at
/// every level and for every provider. ASP.NET Core's own request log (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>,
/// "Request starting … ?access_token=…") writes the whole URL and offers no way to leave the query out, and a filter rule
/// can be outranked by any provider's own setting; so every logger the app creates passes its messages through here.
/// </summary>
public static partial class AccessTokenRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>Wraps the app's logger factory; call after logging is set up (it is, before any service registration).</summary>
    public static IServiceCollection AddAccessTokenRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    /// <summary>The text with every <c>access_token=</c> value replaced.</summary>
    public static string Redact(string text) =>
        text.Contains("access_token=", StringComparison.OrdinalIgnoreCase) ? TokenValue().Replace(text, Redacted) : text;

    [GeneratedRegex(@"(?<=access_token=)[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenValue();

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            var redacted = Redact(message);
            if (ReferenceEquals(redacted, message) && !Mentions(state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            inner.Log(logLevel, eventId, new RedactedState(state as IReadOnlyList<KeyValuePair<string, object?>> ?? [], redacted), exception,
                static (s, _) => s.Message);
        }

        private static bool Mentions<TState>(TState state) =>
            state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.Any(v => v.Value is string text && text.Contains("access_token=", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The structured values of a message (what JSON and OpenTelemetry exporters write) with the tokens redacted.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] =>
            values[index] is { Value: string text } pair ? new(pair.Key, Redact(text)) : values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
