using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>Creates accounts outside the admin pages: the first admin, and demo users.</summary>
public sealed class AccountProvisioning(
    UserManager<MonitorUser> users,
    RoleManager<IdentityRole> roles,
    AuditLog audit,
    TimeProvider time)
{
    // No look-alike characters (0/O, 1/l/I): generated passwords are read off a console and typed.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int GeneratedPasswordLength = 20;

    public static string GeneratePassword() => RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);

    /// <summary>The roles are the <see cref="Role"/> names; each user holds exactly one.</summary>
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Enum.GetNames<Role>())
        {
            if (await roles.RoleExistsAsync(role)) continue;
            var result = await roles.CreateAsync(new IdentityRole(role));
            if (!result.Succeeded) throw new InvalidOperationException($"Could not create the role {role}: {Describe(result)}");
        }
    }

    public Task<bool> AnyUserAsync(CancellationToken cancellationToken = default) => users.Users.AnyAsync(cancellationToken);

    /// <summary>Creates a user with one role and audits it as done by <paramref name="actor"/>; nothing is created when the password or email is refused.</summary>
    public async Task<IdentityResult> CreateUserAsync(string email, string password, Role role, string actor, string? displayName = null)
    {
        email = email.Trim();
        var user = new MonitorUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = time.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return created;

        var added = await users.AddToRoleAsync(user, role.ToString());
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return added;
        }
        await audit.RecordAsync(actor, AuditActions.UserCreated, email, $"role: {role}", remoteIp: null);
        return IdentityResult.Success;
    }

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
