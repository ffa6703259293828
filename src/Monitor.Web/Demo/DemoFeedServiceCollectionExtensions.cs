using Microsoft.Extensions.Options;

namespace Monitor.Web.Demo;

public static class DemoFeedServiceCollectionExtensions
{
    /// <summary>
    /// The demo feed (<c>Monitor:DemoFeed</c>). Register it after the start-up sequence: hosted services start in order,
    /// so the feed streams only once the scenario's first part is loaded.
    /// </summary>
    public static IServiceCollection AddDemoFeed(this IServiceCollection services)
    {
        services.AddOptions<DemoFeedOptions>().BindConfiguration(DemoFeedOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoFeedOptions>, ValidateDemoFeedOptions>();
        services.AddSingleton<DemoFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoFeed>());
        return services;
    }
}
