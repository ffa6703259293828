namespace Monitor.Web.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>Sites, indicators and their seeding from the reference scenario.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<CatalogService>();
        services.AddSingleton<CatalogSeeding>();
        return services;
    }
}
