using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Monitor.Web.Observations.Embedded;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.InfluxDB;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;
using Monitor.Web.Observations.Reading;
using Polly;

namespace Monitor.Web.Observations;

public static class ObservationsServiceCollectionExtensions
{
    /// <summary>
    /// The observation store chosen by <c>Storage:Provider</c>, the write path (journal, outbox and drain under
    /// InfluxDB), the reader that merges what is queued, the sequenced in-process feed, the scenario's seeding, and the
    /// answers to a store that refuses or does not answer.
    /// </summary>
    public static IServiceCollection AddObservations(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<InfluxDbOptions>().BindConfiguration(InfluxDbOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InfluxDbOptions>, ValidateInfluxDbOptions>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, ValidateOutboxOptions>();

        // Short retries of transient failures (connection refused, 5xx, 429, honouring Retry-After) inside one request;
        // the outbox drain retries for as long as it takes around them.
        services.AddHttpClient(InfluxTransport.ClientName).AddResilienceHandler("influxdb", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
        }));

        services.AddSingleton<IObservationStore>(sp =>
        {
            if (Queues(sp))
            {
                var clients = sp.GetRequiredService<IHttpClientFactory>();
                return new InfluxDbObservationStore(() => clients.CreateClient(InfluxTransport.ClientName),
                    sp.GetRequiredService<IOptions<InfluxDbOptions>>().Value, sp.GetRequiredService<ILogger<InfluxDbObservationStore>>());
            }
            return new SqliteObservationStore(EmbeddedDatabase(sp));
        });
        // Under the embedded store the journal shares the observations' file, so a batch commits with its readings.
        services.AddSingleton(sp => new IngestJournal(Queues(sp)
            ? Path.Combine(sp.GetRequiredService<AppPaths>().DataDirectory, "outbox.db")
            : EmbeddedDatabase(sp)));

        services.AddSingleton<PendingChanges>();
        services.AddSingleton<RecordedSpans>();
        services.AddSingleton<StorageStatus>();
        services.AddSingleton<ObservationFeed>();
        services.AddSingleton<ObservationIngest>();
        services.AddSingleton<IObservationReader, ObservationReader>();
        services.AddSingleton<Import.ObservationExport>();
        services.AddHostedService<OutboxDrain>();
        services.AddSingleton<ObservationSeeding>();
        services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
        return services;
    }

    private static bool Queues(IServiceProvider sp) => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.InfluxDB;

    private static string EmbeddedDatabase(IServiceProvider sp) => Path.Combine(sp.GetRequiredService<AppPaths>().DataDirectory, "observations.db");
}
