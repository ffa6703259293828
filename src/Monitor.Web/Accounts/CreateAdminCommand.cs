using Monitor.Web.Audit;
using Monitor.Web.Data;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>
/// <c>create-admin --email ADDRESS [--password-stdin]</c>: creates an admin account and exits, without serving.
/// The password is generated and printed once, or read from the first line of standard input.
/// </summary>
public sealed record CreateAdminCommand(string? Email, bool PasswordFromStdin, string? Error)
{
    public const string Name = "create-admin";

    public const string Usage = "Usage: create-admin --email ADDRESS [--password-stdin]";

    /// <summary>The command in <paramref name="args"/>, or null when the app should serve; <paramref name="hostArgs"/> keeps the rest (e.g. --urls, --Section:Key=value).</summary>
    public static CreateAdminCommand? Parse(string[] args, out string[] hostArgs)
    {
        hostArgs = args;
        if (args.Length == 0 || args[0] != Name) return null;

        string? email = null;
        var fromStdin = false;
        string? error = null;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length:
                    email = args[++i];
                    break;
                case "--email":
                    error = "--email needs an address.";
                    break;
                case "--password-stdin":
                    fromStdin = true;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        if (error is null && string.IsNullOrWhiteSpace(email)) error = "--email is required.";
        hostArgs = rest.ToArray();
        return new CreateAdminCommand(email, fromStdin, error);
    }

    /// <summary>Runs against the app's own services (same configuration, same database); returns the process exit code.</summary>
    public async Task<int> RunAsync(IServiceProvider services, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (Error is not null)
        {
            await stderr.WriteLineAsync($"{Error}\n{Usage}");
            return 2;
        }

        string password;
        if (PasswordFromStdin)
        {
            var line = await stdin.ReadLineAsync();
            if (string.IsNullOrEmpty(line))
            {
                await stderr.WriteLineAsync("--password-stdin: no password on standard input.");
                return 2;
            }
            password = line;
        }
        else
        {
            password = UserAdministration.GeneratePassword();
        }

        await services.GetRequiredService<DatabaseMigration>().MigrateAsync(CancellationToken.None);

        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await accounts.EnsureRolesAsync();
        var result = await accounts.CreateUserAsync(Email!, password, Role.Admin, AuditLog.System);
        if (!result.Succeeded)
        {
            await stderr.WriteLineAsync($"The admin {Email} was not created: {UserAdministration.Describe(result)}");
            return 1;
        }

        await stdout.WriteLineAsync($"Created the admin {Email!.Trim()}.");
        if (!PasswordFromStdin)
        {
            await stdout.WriteLineAsync($"Password (shown only now, stored only as a hash): {password}");
        }
        return 0;
    }
}
