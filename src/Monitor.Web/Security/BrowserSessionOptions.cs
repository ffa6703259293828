using Microsoft.Extensions.Options;

namespace Monitor.Web.Security;

/// <summary>The <c>Auth:Sessions</c> section: how long a browser session lives and how soon a change to its user takes effect.</summary>
public sealed class BrowserSessionOptions
{
    public const string Section = "Auth:Sessions";

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often a session is checked against its user: a disabled user, a changed role or a reset password ends or
    /// changes open sessions within this time, in open pages as well as in new requests.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class ValidateBrowserSessionOptions : IValidateOptions<BrowserSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, BrowserSessionOptions options)
    {
        var failures = new List<string>();
        if (options.IdleTimeout <= TimeSpan.Zero) failures.Add($"{BrowserSessionOptions.Section}:IdleTimeout must be positive.");
        if (options.CheckInterval < TimeSpan.Zero) failures.Add($"{BrowserSessionOptions.Section}:CheckInterval must not be negative.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
