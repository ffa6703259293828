using System.Globalization;

namespace Monitor.AlertListener;

/// <summary>What the listener was asked to do, from its command line (and <c>MONITOR_API_KEY</c>).</summary>
/// <param name="Server">The app's address, e.g. <c>https://monitor.example.org/</c>; the hub is <c>hubs/alerts</c> under it.</param>
/// <param name="Since">Print every change after this sequence first (0: the whole history); null: only changes from now on.</param>
/// <param name="StateFile">Where the last printed sequence is kept, so that a restarted listener goes on from there.</param>
public sealed record ListenerOptions(
    Uri Server,
    string ApiKey,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> SiteIds,
    Severity MinSeverity,
    bool Json,
    long? Since,
    string? StateFile)
{
    public const string ApiKeyVariable = "MONITOR_API_KEY";

    public const string Usage = """
        monitor-alerts: prints every alert change of a Monitor server as it happens.

        Usage: monitor-alerts --url URL [options]

          --url URL              the Monitor app, e.g. https://monitor.example.org
          --api-key KEY          an API key of role Viewer or above (default: the MONITOR_API_KEY variable)
          --region NAME          only sites of this region (repeat for several)
          --site ID              only this site (repeat for several); with --region: sites of either
          --min-severity LEVEL   info (default), warning or critical
          --json                 one JSON object per line, each alert exactly as the server sent it
          --since SEQUENCE       first print every change after this sequence (0: the whole history)
          --state-file PATH      keep the last printed sequence here and go on from it after a restart
          -h, --help             this text

        It reconnects forever (backoff with jitter, at most 30 s apart) and asks the server for what it missed,
        so every change is printed exactly once. Status messages go to standard error.

        Exit codes: 0 stopped (Ctrl+C or SIGTERM), 1 failed, 2 invalid arguments, 3 the server refused the API key.
        """;

    /// <summary>Reads the arguments; <paramref name="environment"/> looks up a variable (the process's, or a test's).</summary>
    public static ParsedArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? url = null, apiKey = null, minSeverity = null, stateFile = null, since = null;
        var regions = new List<string>();
        var sites = new List<string>();
        var json = false;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException($"{name} needs a value.");
                return args[++i];
            }

            try
            {
                switch (name)
                {
                    case "-h" or "--help": return ParsedArguments.Help;
                    case "--url": url = Value(); break;
                    case "--api-key": apiKey = Value(); break;
                    case "--region": regions.Add(Value()); break;
                    case "--site": sites.Add(Value()); break;
                    case "--min-severity": minSeverity = Value(); break;
                    case "--json": json = true; break;
                    case "--since": since = Value(); break;
                    case "--state-file": stateFile = Value(); break;
                    default: return ParsedArguments.Invalid($"Unknown argument '{name}'.");
                }
            }
            catch (ArgumentException ex)
            {
                return ParsedArguments.Invalid(ex.Message);
            }
        }

        apiKey ??= environment(ApiKeyVariable);
        if (url is null) return ParsedArguments.Invalid("--url is required.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            return ParsedArguments.Invalid($"--url must be an http or https address; '{url}' is not.");
        if (string.IsNullOrWhiteSpace(apiKey))
            return ParsedArguments.Invalid($"An API key is required: --api-key or the {ApiKeyVariable} variable.");
        var severity = minSeverity is null ? Severity.Info : AlertFilter.ParseSeverity(minSeverity);
        if (severity is null)
            return ParsedArguments.Invalid($"--min-severity is info, warning or critical; '{minSeverity}' is none of them.");
        long? start = null;
        if (since is not null)
        {
            if (!long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
                return ParsedArguments.Invalid($"--since needs a sequence number (0 or more); '{since}' is not one.");
            start = sequence;
        }

        // A base address ending in '/' keeps its path (an app served under /monitor/) when the hub path is added.
        if (!server.AbsolutePath.EndsWith('/')) server = new Uri(server + "/");
        return ParsedArguments.Run(new ListenerOptions(server, apiKey, regions, sites, severity.Value, json, start, stateFile));
    }
}

/// <summary>The outcome of <see cref="ListenerOptions.Parse"/>: options to run with, a request for help, or an error.</summary>
public sealed record ParsedArguments(ListenerOptions? Options, string? Error, bool ShowHelp)
{
    public static readonly ParsedArguments Help = new(null, null, true);

    public static ParsedArguments Run(ListenerOptions options) => new(options, null, false);

    public static ParsedArguments Invalid(string error) => new(null, error, false);
}

/// <summary>Alert severities in increasing order, as the server names them in lower case.</summary>
public enum Severity
{
    Info,
    Warning,
    Critical,
}
