using Microsoft.AspNetCore.Identity;

namespace Monitor.Web.Accounts;

/// <summary>A person who signs in. Each user holds exactly one role (see <see cref="Security.Role"/>).</summary>
public sealed class MonitorUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>A disabled user cannot sign in, and an open session ends at its next check; rows are never deleted (audit).</summary>
    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
}
