using System.Globalization;

namespace Monitor.Bench;

/// <summary>The command-line options; every one has a default, so the bare command runs the full benchmark.</summary>
/// <param name="Rounds">Repeats of each ingest measurement; the report gives the median round.</param>
/// <param name="Clients">The concurrent pattern's number of clients (the sequential one always has one).</param>
/// <param name="OutageSeconds">How long InfluxDB is down while observations keep arriving, before the drain is timed.</param>
public sealed record BenchOptions(int Sites, int Days, int BatchSize, int Reads, int Rounds, int Clients, int OutageSeconds)
{
    public const string Command = "dotnet run -c Release --project bench/Monitor.Bench";

    public static BenchOptions Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var at = Array.IndexOf(args, "--" + name);
            if (at < 0) return fallback;
            if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
                throw new ArgumentException($"--{name} needs a positive whole number.");
            return value;
        }
        return new BenchOptions(Get("sites", 50), Get("days", 365), Get("batch", 5_000), Get("reads", 200), Get("rounds", 5),
            Get("clients", 4), Get("outage-seconds", 60));
    }

    /// <summary>The scenario named by <c>--scenario</c>, or null for the main run.</summary>
    public static string? Scenario(string[] args)
    {
        var at = Array.IndexOf(args, "--scenario");
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>The options as they would be typed, for the report.</summary>
    public string ToArguments() => string.Create(CultureInfo.InvariantCulture,
        $"--sites {Sites} --days {Days} --batch {BatchSize} --reads {Reads} --rounds {Rounds} --clients {Clients} --outage-seconds {OutageSeconds}");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
