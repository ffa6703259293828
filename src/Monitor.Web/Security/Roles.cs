namespace Monitor.Web.Security;

/// <summary>Roles in increasing power: each role may do everything the roles before it may.</summary>
public enum Role
{
    Viewer = 1,
    Reporter = 2,
    Coordinator = 3,
    Admin = 4,
}

/// <summary>Authorization policies named after the least role they admit.</summary>
public static class Policies
{
    public const string Viewer = nameof(Role.Viewer);
    public const string Reporter = nameof(Role.Reporter);
    public const string Coordinator = nameof(Role.Coordinator);
    public const string Admin = nameof(Role.Admin);

    /// <summary>The role names that satisfy a policy requiring at least <paramref name="least"/>.</summary>
    public static string[] RolesAtLeast(Role least) =>
        Enum.GetValues<Role>().Where(r => r >= least).Select(r => r.ToString()).ToArray();
}
