namespace Monitor.Web.Security.ApiKeys;

public static class ApiKeysServiceCollectionExtensions
{
    /// <summary>Keys issued in the app: their administration and the lookup that authentication uses.</summary>
    public static IServiceCollection AddApiKeyAdministration(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyLookup>();
        services.AddSingleton<ApiKeyAdministration>();
        return services;
    }
}
