using Microsoft.Extensions.Options;

namespace Monitor.Web.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Users beyond Identity itself (registered by <c>AddMonitorSecurity</c>): sign-in with audit, the first admin,
    /// demo mode. Register after the start-up sequence: the accounts live in the database it migrates.
    /// </summary>
    public static IServiceCollection AddMonitorAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountOptions>, ValidateAccountOptions>();
        services.AddSingleton(new OperatorConsole(Console.Out));
        services.AddScoped<LoginService>();
        services.AddHostedService<AccountInitializer>();
        return services;
    }
}
