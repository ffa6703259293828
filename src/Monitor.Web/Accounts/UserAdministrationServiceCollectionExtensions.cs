using Microsoft.AspNetCore.Identity;
using Monitor.Web.Data;

namespace Monitor.Web.Accounts;

public static class UserAdministrationServiceCollectionExtensions
{
    /// <summary>
    /// User administration. It needs Identity's <see cref="UserManager{TUser}"/> and <see cref="RoleManager{TRole}"/>
    /// over <see cref="MonitorDbContext"/>; sign-in registers those with its own options, so they are only added here
    /// when nothing has registered them yet.
    /// </summary>
    public static IServiceCollection AddUserAdministration(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(UserManager<MonitorUser>)))
        {
            services.AddIdentityCore<MonitorUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<MonitorDbContext>();
        }
        else if (!services.Any(d => d.ServiceType == typeof(RoleManager<IdentityRole>)))
        {
            throw new InvalidOperationException(
                "User administration needs Identity roles: register Identity with .AddRoles<IdentityRole>().");
        }

        services.AddSingleton<UserAdministration>();
        return services;
    }
}
