namespace Monitor.Web.Security.ApiKeys;

public static class ApiKeysServiceCollectionExtensions
{
    /// <summary>Keys issued in the app: their administration and the lookup that authentication uses, and the count of keys that failed.</summary>
    public static IServiceCollection AddApiKeyAdministration(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyLookup>();
        services.AddSingleton<ApiKeyMisses>();
        services.AddSingleton<ApiKeyAdministration>();
        return services;
    }
}
