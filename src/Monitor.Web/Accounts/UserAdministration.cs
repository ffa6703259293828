using System.Net.Mail;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Monitor.Web.Audit;
using Monitor.Web.Data;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

public sealed record UserSummary(
    string Id,
    string Email,
    string? DisplayName,
    Role? Role,
    bool Disabled,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt);

public sealed record NewUser(string? Email, string? DisplayName, string? Role);

/// <summary>A password an admin hands over once; it is never stored or shown again.</summary>
public sealed record OneTimePassword(UserSummary User, string Password);

/// <summary>
/// Everything done to accounts, by admins (create with a one-time password, set the one role each user holds, disable
/// and enable, reset the password) and by the system (the roles, the first admin, demo users). There is one way to
/// create a user and one password generator; every change is audited with who made it. The service never leaves the
/// app without an enabled admin, and an admin cannot demote or disable themself.
/// </summary>
public sealed class UserAdministration(
    IServiceScopeFactory scopes,
    IDbContextFactory<MonitorDbContext> dbFactory,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxEmailLength = 256;
    public const int MaxDisplayNameLength = 100;
    public const int PasswordLength = 20;

    // Without ambiguous look-alikes (I, l, 1, O, 0), since the password is read off a screen and typed in.
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!#$%*+-=?@_";

    private readonly SemaphoreSlim _changes = new(1, 1);

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking()
            .Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var roleByUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => HighestRole(g.Select(r => r.Name)));
        var now = time.GetUtcNow();
        return users
            .Select(u => Summarize(u, roleByUser.GetValueOrDefault(u.Id), now))
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    /// <summary>The roles are the <see cref="Role"/> names; each user holds exactly one.</summary>
    public async Task EnsureRolesAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var role in Enum.GetValues<Role>()) await EnsureRoleExistsAsync(scope.ServiceProvider, role);
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Creates a user with a password chosen outside the admin pages (the first admin, demo users, the create-admin
    /// command), audited as done by <paramref name="actor"/>; nothing is created when the password or email is refused.
    /// </summary>
    public Task<IdentityResult> CreateUserAsync(string email, string password, Role role, string actor, string? displayName = null) =>
        ChangeAsync(async account => (await CreateCoreAsync(account, email.Trim(), displayName, role, password, actor, remoteIp: null)).Result,
            CancellationToken.None);

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    public async Task<AdminResult<OneTimePassword>> CreateAsync(NewUser request, ClaimsPrincipal actor, string? remoteIp = null,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var email = request.Email?.Trim() ?? "";
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim();
        if (ValidateEmail(email) is { } emailError) errors["email"] = [emailError];
        if (displayName is { Length: > MaxDisplayNameLength })
            errors["displayName"] = [$"displayName must be at most {MaxDisplayNameLength} characters."];
        if (ParseRole(request.Role, errors) is not { } role || errors.Count > 0) return new(null, errors);

        return await ChangeAsync(async account =>
        {
            if (await account.Users.FindByEmailAsync(email) is not null || await account.Users.FindByNameAsync(email) is not null)
                return Fail<OneTimePassword>("email", $"A user with the email {email} already exists.");

            var password = GeneratePassword();
            var (user, result) = await CreateCoreAsync(account, email, displayName, role, password, AuditLog.ActorOf(actor), remoteIp);
            if (user is null) return new AdminResult<OneTimePassword>(null, IdentityErrors(result));
            return AdminResult<OneTimePassword>.Of(new OneTimePassword(Summarize(user, role, time.GetUtcNow()), password));
        }, cancellationToken);
    }

    /// <summary>The one way a user comes to exist: account and role together, then the audit entry.</summary>
    private async Task<(MonitorUser? User, IdentityResult Result)> CreateCoreAsync(
        AccountScope account, string email, string? displayName, Role role, string password, string actor, string? remoteIp)
    {
        var user = new MonitorUser
        {
            UserName = email, Email = email, DisplayName = displayName, CreatedAt = time.GetUtcNow(),
            // Whoever creates the account vouches for the address; there is no mail round trip to confirm it.
            EmailConfirmed = true,
            LockoutEnabled = true,
        };
        var result = await account.AllOrNothingAsync(
            () => account.Users.CreateAsync(user, password),
            () => account.AddToRoleAsync(user, role));
        if (!result.Succeeded) return (null, result);

        await audit.RecordAsync(actor, AuditActions.UserCreated, email, $"role={role}", remoteIp, CancellationToken.None);
        return (user, IdentityResult.Success);
    }

    public async Task<AdminResult> SetRoleAsync(string userId, string? role, ClaimsPrincipal actor, string? remoteIp = null,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ParseRole(role, errors) is not { } newRole) return new AdminResult(errors);

        return await ChangeAsync(async account =>
        {
            var users = account.Users;
            if (await users.FindByIdAsync(userId) is not { } user) return UnknownUser(userId);

            var current = HighestRole(await users.GetRolesAsync(user));
            if (current == newRole) return AdminResult.Ok;
            if (current == Role.Admin)
            {
                if (IsSelf(actor, user)) return AdminResult.Refused("role", "You cannot change your own role; ask another admin.");
                if (!user.Disabled && await EnabledAdminCountAsync(users) <= 1)
                    return AdminResult.Refused("role", $"{user.Email} is the last enabled admin; make another user an admin first.");
            }

            var result = await account.AllOrNothingAsync(
                async () => await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)),
                () => account.AddToRoleAsync(user, newRole),
                // Open sessions carry the old role in their cookie; a new stamp makes them sign in again.
                () => users.UpdateSecurityStampAsync(user));
            if (!result.Succeeded) return new AdminResult(IdentityErrors(result));

            await audit.RecordAsync(actor, AuditActions.UserRoleChanged, user.Email,
                $"from={current?.ToString() ?? "none"}; to={newRole}", remoteIp, CancellationToken.None);
            return AdminResult.Ok;
        }, cancellationToken);
    }

    public Task<AdminResult> SetDisabledAsync(string userId, bool disabled, ClaimsPrincipal actor, string? remoteIp = null,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(async account =>
        {
            var users = account.Users;
            if (await users.FindByIdAsync(userId) is not { } user) return UnknownUser(userId);
            if (user.Disabled == disabled) return AdminResult.Ok;

            if (disabled)
            {
                if (IsSelf(actor, user)) return AdminResult.Refused("user", "You cannot disable your own account.");
                if (HighestRole(await users.GetRolesAsync(user)) == Role.Admin && await EnabledAdminCountAsync(users) <= 1)
                    return AdminResult.Refused("user", $"{user.Email} is the last enabled admin and cannot be disabled.");
            }

            user.Disabled = disabled;
            // The new stamp is what ends the sessions a disabled user still has open.
            var updated = await users.UpdateSecurityStampAsync(user);
            if (!updated.Succeeded) return new AdminResult(IdentityErrors(updated));

            await audit.RecordAsync(actor, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, user.Email, null, remoteIp,
                CancellationToken.None);
            return AdminResult.Ok;
        }, cancellationToken);

    /// <summary>Replaces the password with a new one-time password, ends open sessions and lifts a lockout.</summary>
    public Task<AdminResult<OneTimePassword>> ResetPasswordAsync(string userId, ClaimsPrincipal actor, string? remoteIp = null,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(async account =>
        {
            var users = account.Users;
            if (await users.FindByIdAsync(userId) is not { } user) return AdminResult<OneTimePassword>.From(UnknownUser(userId));

            var password = GeneratePassword();
            var result = await account.AllOrNothingAsync(
                () => users.RemovePasswordAsync(user),
                () => users.AddPasswordAsync(user, password),
                () => users.ResetAccessFailedCountAsync(user),
                () => users.SetLockoutEndDateAsync(user, null));
            if (!result.Succeeded) return new AdminResult<OneTimePassword>(null, IdentityErrors(result));

            await audit.RecordAsync(actor, AuditActions.UserPasswordReset, user.Email, null, remoteIp, CancellationToken.None);
            var role = HighestRole(await users.GetRolesAsync(user));
            return AdminResult<OneTimePassword>.Of(new OneTimePassword(Summarize(user, role, time.GetUtcNow()), password));
        }, cancellationToken);

    /// <summary>
    /// Runs one change to accounts with a scope of its own. One change at a time: checking "is this the last admin?" and
    /// acting on it must not interleave with another admin doing the same.
    /// </summary>
    private async Task<T> ChangeAsync<T>(Func<AccountScope, Task<T>> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await change(new AccountScope(scope.ServiceProvider));
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Identity's managers over one database context, for one change.</summary>
    private sealed class AccountScope(IServiceProvider services)
    {
        public UserManager<MonitorUser> Users { get; } = services.GetRequiredService<UserManager<MonitorUser>>();

        /// <summary>Identity saves after every call; in one transaction a failed step takes back the steps before it.</summary>
        public async Task<IdentityResult> AllOrNothingAsync(params Func<Task<IdentityResult>>[] steps)
        {
            var db = services.GetRequiredService<MonitorDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var step in steps)
            {
                var result = await step();
                if (!result.Succeeded) return result;
            }
            await transaction.CommitAsync();
            return IdentityResult.Success;
        }

        public async Task<IdentityResult> AddToRoleAsync(MonitorUser user, Role role)
        {
            await EnsureRoleExistsAsync(services, role);
            return await Users.AddToRoleAsync(user, role.ToString());
        }
    }

    /// <summary>
    /// The one password generator (admin pages, API, demo users, create-admin): random, with every character class, and
    /// without look-alikes, since it is read off a screen or a console and typed in.
    /// </summary>
    public static string GeneratePassword()
    {
        const string all = Upper + Lower + Digits + Symbols;
        while (true)
        {
            var password = RandomNumberGenerator.GetString(all, PasswordLength);
            if (password.Any(Upper.Contains) && password.Any(Lower.Contains) && password.Any(Digits.Contains) && password.Any(Symbols.Contains))
                return password;
        }
    }

    internal static string? ValidateEmail(string email)
    {
        if (email.Length == 0) return "email is required.";
        if (email.Length > MaxEmailLength) return $"email must be at most {MaxEmailLength} characters.";
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
            return $"email '{email}' is not a valid email address, e.g. name@example.org.";
        return null;
    }

    private static Role? ParseRole(string? role, Dictionary<string, string[]> errors)
    {
        // Names only: Enum.TryParse would also take "4" or "1,2".
        var name = Enum.GetNames<Role>().FirstOrDefault(n => string.Equals(n, role?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is not null) return Enum.Parse<Role>(name);
        errors["role"] = [string.IsNullOrWhiteSpace(role)
            ? $"role is required: one of {string.Join(", ", Enum.GetNames<Role>())}."
            : $"role '{role}' is unknown: use one of {string.Join(", ", Enum.GetNames<Role>())}."];
        return null;
    }

    private static Role? HighestRole(IEnumerable<string?> names) =>
        names.Select(n => Enum.TryParse<Role>(n, ignoreCase: true, out var r) && Enum.IsDefined(r) ? r : (Role?)null).Max();

    /// <summary>
    /// The acting admin's own account: by user id when the principal comes from a sign-in, by name otherwise (a test
    /// principal, an older cookie). Either match counts, so an admin can never slip past the rule.
    /// </summary>
    private static bool IsSelf(ClaimsPrincipal actor, MonitorUser user)
    {
        if (actor.FindFirstValue(ClaimTypes.NameIdentifier) == user.Id) return true;
        var name = actor.Identity?.Name;
        return name is not null && (string.Equals(name, user.UserName, StringComparison.OrdinalIgnoreCase)
                                    || string.Equals(name, user.Email, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<int> EnabledAdminCountAsync(UserManager<MonitorUser> users) =>
        (await users.GetUsersInRoleAsync(nameof(Role.Admin))).Count(u => !u.Disabled);

    private static async Task EnsureRoleExistsAsync(IServiceProvider services, Role role)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (await roles.RoleExistsAsync(role.ToString())) return;
        var created = await roles.CreateAsync(new IdentityRole(role.ToString()));
        if (!created.Succeeded) throw new InvalidOperationException($"The role {role} could not be created: {created}.");
    }

    private static UserSummary Summarize(MonitorUser user, Role? role, DateTimeOffset now) =>
        new(user.Id, user.Email ?? user.UserName ?? "", user.DisplayName, role, user.Disabled,
            user.LockoutEnd is { } end && end > now ? end : null, user.CreatedAt, user.LastLoginAt);

    private static AdminResult UnknownUser(string userId) => AdminResult.Missing("user", $"There is no user with id '{userId}'.");

    private static AdminResult<T> Fail<T>(string field, string message) => AdminResult<T>.From(AdminResult.Failure(field, message));

    private static Dictionary<string, string[]> IdentityErrors(IdentityResult result) =>
        result.Errors
            .GroupBy(e => e.Code switch
            {
                _ when e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) => "email",
                _ when e.Code.StartsWith("Password", StringComparison.Ordinal) => "password",
                _ when e.Code.Contains("Role", StringComparison.Ordinal) => "role",
                _ => "user",
            })
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray(), StringComparer.Ordinal);
}
