using Microsoft.Extensions.Options;

namespace Monitor.Web;

/// <summary>Resolves the folders the app reads: configured paths win; otherwise the working directory, then the app's own folder.</summary>
public sealed class AppPaths(IOptions<MonitorOptions> options, IHostEnvironment environment)
{
    public string DataDirectory => Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath);

    public string SeedDirectory => Resolve(options.Value.SeedDirectory, "seed-data");

    public string DashboardsDirectory => Resolve(options.Value.DashboardsDirectory, "dashboards");

    public string KoboMappingsDirectory => string.IsNullOrWhiteSpace(options.Value.KoboMappingsDirectory)
        ? Path.Combine(SeedDirectory, "kobo")
        : Path.GetFullPath(options.Value.KoboMappingsDirectory, environment.ContentRootPath);

    private string Resolve(string? configured, string folder)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, environment.ContentRootPath);
        }

        var candidates = new[] { environment.ContentRootPath, AppContext.BaseDirectory };
        return candidates.Select(root => Path.Combine(root, folder)).FirstOrDefault(Directory.Exists)
               ?? Path.Combine(AppContext.BaseDirectory, folder);
    }
}
