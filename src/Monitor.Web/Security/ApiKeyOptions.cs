using Microsoft.Extensions.Options;

namespace Monitor.Web.Security;

/// <summary>
/// The <c>Auth</c> section: static API keys for machines (<c>Auth__ApiKeys__N__Name|Key|Role</c>) and the origins
/// besides the app's own whose pages may use a signed-in session (<c>Auth__AllowedOrigins__N</c>).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    public List<string> AllowedOrigins { get; set; } = [];
}

public sealed class ApiKeyOptions
{
    public string? Name { get; set; }
    public string? Key { get; set; }
    public string? Role { get; set; }
}

/// <summary>Fails start-up with a message naming the setting when a configured key is unusable.</summary>
public sealed class ValidateAuthOptions : IValidateOptions<AuthOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = $"Auth:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name)) failures.Add($"{at}:Name is required.");
            if (string.IsNullOrEmpty(key.Key) || key.Key.Length < MinimumKeyLength)
                failures.Add($"{at}:Key must be at least {MinimumKeyLength} characters.");
            if (!Enum.TryParse<Role>(key.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role))
                failures.Add($"{at}:Role must be one of {string.Join(", ", Enum.GetNames<Role>())}.");
        }

        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            if (!Uri.TryCreate(options.AllowedOrigins[i], UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https")
                || origin.AbsolutePath != "/" || origin.Query.Length > 0 || origin.Fragment.Length > 0 || origin.UserInfo.Length > 0)
                failures.Add($"Auth:AllowedOrigins:{i} must be an origin such as https://monitor.example.org (scheme, host, optional port; no path).");
        }

        var duplicates = options.ApiKeys.Where(k => !string.IsNullOrEmpty(k.Key)).GroupBy(k => k.Key).Where(g => g.Count() > 1);
        if (duplicates.Any()) failures.Add("Auth:ApiKeys: the same key is configured more than once.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
