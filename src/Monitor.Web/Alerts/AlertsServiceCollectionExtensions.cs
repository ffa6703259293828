using Microsoft.Extensions.Options;

namespace Monitor.Web.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>Rules, the engine (a hosted service: register it after the start-up sequence), push and commands.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, ValidateAlertOptions>();
        services.AddSingleton<AlertRules>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<AlertPush>();
        services.AddSingleton<AlertEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertEngine>());
        services.AddSingleton<AlertCommands>();
        services.AddSingleton<ActiveAlerts>();
        services.AddSingleton<AlertPreferences>();
        return services;
    }

    private sealed class ValidateAlertOptions : IValidateOptions<AlertOptions>
    {
        public ValidateOptionsResult Validate(string? name, AlertOptions options)
        {
            var failures = new List<string>();
            if (options.SweepInterval < TimeSpan.FromMilliseconds(100) || options.SweepInterval > TimeSpan.FromHours(1))
                failures.Add("Alerts:SweepInterval must lie between 00:00:00.1 and 01:00:00.");
            if (options.FlappingLimit < 2) failures.Add("Alerts:FlappingLimit must be at least 2.");
            if (options.FlappingWindow < TimeSpan.FromMinutes(1)) failures.Add("Alerts:FlappingWindow must be at least a minute.");
            if (options.ResumeLimit < 100) failures.Add("Alerts:ResumeLimit must be at least 100.");
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
