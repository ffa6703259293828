using Microsoft.Extensions.Options;
using Monitor.Web.Observations.Embedded;
using Monitor.Web.Observations.InfluxDB;

namespace Monitor.Web.Observations;

public static class ObservationsServiceCollectionExtensions
{
    /// <summary>The observation store chosen by <c>Storage:Provider</c>, the write path and the in-process feed.</summary>
    public static IServiceCollection AddObservations(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<InfluxDbOptions>().BindConfiguration(InfluxDbOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InfluxDbOptions>, ValidateInfluxDbOptions>();

        services.AddHttpClient(nameof(InfluxDbObservationStore));
        services.AddSingleton<IObservationStore>(sp =>
        {
            if (sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.InfluxDB)
            {
                var influx = sp.GetRequiredService<IOptions<InfluxDbOptions>>().Value;
                var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InfluxDbObservationStore));
                return new InfluxDbObservationStore(http, influx, sp.GetRequiredService<ILogger<InfluxDbObservationStore>>());
            }

            var dataDirectory = sp.GetRequiredService<AppPaths>().DataDirectory;
            return new SqliteObservationStore(Path.Combine(dataDirectory, "observations.db"));
        });

        services.AddSingleton<ObservationFeed>();
        services.AddSingleton<ObservationIngest>();
        return services;
    }
}
