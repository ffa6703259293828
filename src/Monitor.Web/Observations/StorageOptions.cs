using Microsoft.Extensions.Options;

namespace Monitor.Web.Observations;

public enum StorageProvider
{
    Embedded,
    InfluxDB,
}

/// <summary>The <c>Storage</c> section: which observation store to use.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Embedded;
}

/// <summary>The <c>InfluxDB</c> section, used when <c>Storage:Provider</c> is <c>InfluxDB</c>.</summary>
public sealed class InfluxDbOptions
{
    public const string Section = "InfluxDB";

    public string? Url { get; set; }
    public string Database { get; set; } = "monitor";

    /// <summary>InfluxDB 2.x/3.x token, sent as <c>Authorization: Token …</c>.</summary>
    public string? Token { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether writes are sent gzip-compressed. Unset: compressed unless InfluxDB is on this machine (a loopback
    /// address), where compression saves no time on the wire and costs CPU on both ends, which share the machine.
    /// </summary>
    public bool? CompressWrites { get; set; }
}

public sealed class ValidateInfluxDbOptions(IOptions<StorageOptions> storage) : IValidateOptions<InfluxDbOptions>
{
    public ValidateOptionsResult Validate(string? name, InfluxDbOptions options)
    {
        if (storage.Value.Provider != StorageProvider.InfluxDB) return ValidateOptionsResult.Success;

        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            failures.Add("InfluxDB:Url must be an absolute http(s) URL such as http://localhost:8086 when Storage:Provider is InfluxDB.");
        if (string.IsNullOrWhiteSpace(options.Database)) failures.Add("InfluxDB:Database must not be empty.");
        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
            failures.Add("InfluxDB:Username and InfluxDB:Password go together: set both or neither.");
        if (options.Timeout <= TimeSpan.Zero) failures.Add("InfluxDB:Timeout must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
