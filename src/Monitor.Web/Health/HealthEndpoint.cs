using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Monitor.Web.Health;

public static class HealthEndpoint
{
    public const string Path = "/healthz";

    public static IServiceCollection AddMonitorHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("observation-store");
        return services;
    }

    /// <summary><c>Healthy</c> alone, or the status followed by the reasons: <c>Degraded: …</c>, <c>Unhealthy: …</c> (503).</summary>
    public static IEndpointRouteBuilder MapMonitorHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values
            .Where(e => e.Status != HealthStatus.Healthy)
            .Select(e => e.Description ?? e.Exception?.Message ?? "no reason given");
        var text = report.Status == HealthStatus.Healthy ? "Healthy" : $"{report.Status}: {string.Join(" ", reasons)}";
        return context.Response.WriteAsync(text);
    }
}
