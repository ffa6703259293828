namespace Monitor.Web.Dashboards;

public static class DashboardsServiceCollectionExtensions
{
    /// <summary>The dashboards provisioned from files at start.</summary>
    public static IServiceCollection AddDashboards(this IServiceCollection services) => services.AddSingleton<DashboardCatalog>();
}
