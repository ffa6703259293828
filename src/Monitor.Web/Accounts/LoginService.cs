using Microsoft.AspNetCore.Identity;
using Monitor.Web.Audit;

namespace Monitor.Web.Accounts;

public enum LoginOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <summary>Password sign-in with lockout, and the audit trail of every attempt.</summary>
public sealed class LoginService(
    SignInManager<MonitorUser> signIn,
    UserManager<MonitorUser> users,
    IPasswordHasher<MonitorUser> hasher,
    AuditLog audit,
    TimeProvider time)
{
    private const int MaxAuditedEmailLength = 256;

    /// <summary>The actor of an attempt nobody is signed in for (as <see cref="AuditLog.ActorOf"/> names it).</summary>
    private const string Anonymous = "anonymous";

    // Hashing a password for an unknown email too keeps response times from telling which emails have accounts.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<MonitorUser>().HashPassword(new MonitorUser(), Guid.NewGuid().ToString()));

    public async Task<LoginOutcome> SignInAsync(string email, string password, string? remoteIp)
    {
        email = email.Trim();
        var target = email.Length > MaxAuditedEmailLength ? email[..MaxAuditedEmailLength] : email;
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new MonitorUser(), DecoyHash.Value, password);
            await audit.RecordAsync(Anonymous, AuditActions.LoginFailed, target, "no such account", remoteIp);
            return LoginOutcome.Failed;
        }
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(Anonymous, AuditActions.LoginFailed, target, "account locked out", remoteIp);
            return LoginOutcome.LockedOut;
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            user.LastLoginAt = time.GetUtcNow();
            await users.UpdateAsync(user);
            await audit.RecordAsync(user.UserName!, AuditActions.LoginSucceeded, user.UserName, null, remoteIp);
            return LoginOutcome.Succeeded;
        }
        if (result.IsLockedOut)
        {
            var until = await users.GetLockoutEndDateAsync(user);
            await audit.RecordAsync(Anonymous, AuditActions.LoginLockedOut, target,
                $"locked until {until:O} after repeated failed sign-ins", remoteIp);
            return LoginOutcome.LockedOut;
        }
        await audit.RecordAsync(Anonymous, AuditActions.LoginFailed, target,
            result.IsNotAllowed ? "account disabled" : "wrong password", remoteIp);
        return LoginOutcome.Failed;
    }
}
