using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Web.Security;

namespace Monitor.Web;

public static class MonitorServiceCollectionExtensions
{
    /// <summary>The app's own settings (<c>Monitor</c>), the folders they name, and the clock.</summary>
    public static IServiceCollection AddMonitorSettings(this IServiceCollection services)
    {
        services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section).ValidateOnStart();
        services.AddSingleton<AppPaths>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Problem details for every refusal, and the requests the server refused while reading them answered as such
    /// (endpoint features add their own exception handlers).
    /// </summary>
    public static IServiceCollection AddMonitorProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    /// <summary>The JSON of the HTTP API; the hub's payloads use the same (<see cref="ConfigureJson"/>).</summary>
    public static IServiceCollection AddMonitorJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // A number sent as a string is a client bug worth reporting, not guessing at.
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        json.Converters.Add(new UtcDateTimeOffsetConverter());
    }
}
