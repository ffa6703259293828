using Microsoft.Extensions.Options;

namespace Monitor.Web.Accounts;

/// <summary>How the first accounts come to exist: the <c>Monitor:Admin</c> and <c>Monitor:DemoUsers</c> settings.</summary>
public sealed class AccountOptions
{
    public const string Section = "Monitor";

    /// <summary>For containers: the first admin, created at start when no user exists yet.</summary>
    public FirstAdminOptions Admin { get; set; } = new();

    /// <summary>
    /// Demo mode: on a start with no users, create one user per role with random passwords printed once to the console.
    /// For trying the app out, never for real data.
    /// </summary>
    public bool DemoUsers { get; set; }
}

public sealed class FirstAdminOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}

public sealed class ValidateAccountOptions : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        var hasEmail = !string.IsNullOrWhiteSpace(options.Admin.Email);
        var hasPassword = !string.IsNullOrEmpty(options.Admin.Password);
        if (hasEmail != hasPassword)
            return ValidateOptionsResult.Fail("Monitor:Admin:Email and Monitor:Admin:Password must be set together (or neither).");
        return ValidateOptionsResult.Success;
    }
}
