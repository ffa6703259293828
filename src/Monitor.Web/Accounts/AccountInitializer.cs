using Microsoft.Extensions.Options;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>
/// At start (after the database is migrated): makes sure the roles exist and, while no user exists, creates the first
/// admin from configuration or, in demo mode, one demo user per role. Otherwise nobody can sign in until an operator
/// runs <c>create-admin</c>; the app never falls back to a built-in password.
/// </summary>
public sealed partial class AccountInitializer(
    IServiceScopeFactory scopes,
    IOptions<AccountOptions> options,
    OperatorConsole console,
    ILogger<AccountInitializer> logger) : IHostedService
{
    public const string DemoDomain = "demo.local";

    public static string DemoEmail(Role role) => $"{role.ToString().ToLowerInvariant()}@{DemoDomain}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await accounts.EnsureRolesAsync();

        var settings = options.Value;
        if (settings.DemoUsers) LogDemoMode();
        if (await accounts.AnyUserAsync(cancellationToken)) return;

        if (!string.IsNullOrWhiteSpace(settings.Admin.Email))
        {
            var result = await accounts.CreateUserAsync(settings.Admin.Email, settings.Admin.Password!, Role.Admin, AuditLog.System);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Monitor:Admin: the first admin could not be created: {UserAdministration.Describe(result)}");
            LogFirstAdminCreated(settings.Admin.Email);
        }
        else if (settings.DemoUsers)
        {
            await CreateDemoUsersAsync(accounts);
        }
        else
        {
            LogNoUsers();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateDemoUsersAsync(UserAdministration accounts)
    {
        var lines = new List<string>
        {
            "",
            "==================== MONITOR DEMO MODE (Monitor:DemoUsers) ====================",
            "Demo users were created with these passwords. They are shown only now; never use demo",
            "mode for real data. Sign in at /account/login.",
            "",
        };
        foreach (var role in Enum.GetValues<Role>())
        {
            var email = DemoEmail(role);
            var password = UserAdministration.GeneratePassword();
            var result = await accounts.CreateUserAsync(email, password, role, AuditLog.System, displayName: $"Demo {role.ToString().ToLowerInvariant()}");
            if (!result.Succeeded) throw new InvalidOperationException($"Could not create the demo user {email}: {UserAdministration.Describe(result)}");
            lines.Add($"  {role,-12} {email,-26} {password}");
        }
        lines.Add("================================================================================");
        lines.Add("");
        console.WriteBlock(lines);
    }

    [LoggerMessage(LogLevel.Warning, "Demo mode is on (Monitor:DemoUsers): on a first start it creates demo users with passwords printed to the console. Turn it off for real data.")]
    private partial void LogDemoMode();

    [LoggerMessage(LogLevel.Information, "Created the first admin {Email} from Monitor:Admin.")]
    private partial void LogFirstAdminCreated(string email);

    [LoggerMessage(LogLevel.Warning, "No user accounts exist yet, so nobody can sign in. Create the first admin with: dotnet Monitor.Web.dll create-admin --email <address> (or set Monitor:Admin:Email and Monitor:Admin:Password).")]
    private partial void LogNoUsers();
}
