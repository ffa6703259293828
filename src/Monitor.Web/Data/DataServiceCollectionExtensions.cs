using Microsoft.EntityFrameworkCore;

namespace Monitor.Web.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>The embedded database (<c>monitor.db</c> in the data directory) and its migration.</summary>
    public static IServiceCollection AddMonitorDatabase(this IServiceCollection services)
    {
        services.AddDbContextFactory<MonitorDbContext>((sp, options) =>
            options.UseSqlite($"Data Source={Path.Combine(sp.GetRequiredService<AppPaths>().DataDirectory, "monitor.db")}")
                .AddInterceptors(new SqliteBusyTimeout(SqliteBusyTimeout.Default)));
        services.AddSingleton<DatabaseWrites>();
        services.AddSingleton<DatabaseMigration>();
        return services;
    }
}
