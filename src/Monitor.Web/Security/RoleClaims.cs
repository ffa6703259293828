using System.Security.Claims;

namespace Monitor.Web.Security;

public static class RoleClaims
{
    /// <summary>The most powerful role a principal holds, or null when it holds none (anonymous, or an unknown role name).</summary>
    public static Role? HighestRole(this ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true }) return null;
        Role? highest = null;
        foreach (var claim in principal.FindAll(ClaimTypes.Role))
        {
            if (Enum.TryParse<Role>(claim.Value, ignoreCase: true, out var role) && Enum.IsDefined(role) && (highest is null || role > highest))
                highest = role;
        }
        return highest;
    }
}
