namespace Monitor.Bench;

/// <summary>The app's configuration for each run, as environment variables: a fresh data directory every time.</summary>
public sealed class AppSettings(string workDirectory, Scenario scenario, Uri influxd)
{
    public const string ApiKey = "bench-key-0123456789abcdef";

    /// <summary>A client that sends the benchmark's Reporter key with every request.</summary>
    public static HttpClient Client(TimeSpan timeout, Uri? baseAddress = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return http;
    }

    public Dictionary<string, string> InfluxDB(string database, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = Common("influx-" + database);
        settings["Storage__Provider"] = "InfluxDB";
        settings["InfluxDB__Url"] = influxd.ToString();
        settings["InfluxDB__Database"] = database;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        return settings;
    }

    public Dictionary<string, string> Embedded(string name)
    {
        var settings = Common("embedded-" + name);
        settings["Storage__Provider"] = "Embedded";
        return settings;
    }

    private Dictionary<string, string> Common(string dataName) => new()
    {
        ["Monitor__DataDirectory"] = Path.Combine(workDirectory, "data-" + dataName),
        ["Monitor__SeedDirectory"] = scenario.Directory,
        ["Monitor__DashboardsDirectory"] = Path.Combine(workDirectory, "no-dashboards"),
        ["Auth__ApiKeys__0__Name"] = "bench",
        ["Auth__ApiKeys__0__Key"] = ApiKey,
        ["Auth__ApiKeys__0__Role"] = "Reporter",
        // The benchmark measures ingest, not the abuse limit: one key posts as fast as the app takes it.
        ["RateLimits__Observations__TokenLimit"] = "1000000",
        ["RateLimits__Observations__TokensPerPeriod"] = "1000000",
    };
}
