using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Demo;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Observations;

/// <summary>
/// Opens the ingest pipeline and loads the reference scenario's observations into an empty store — on their real
/// dates, or through the demo feed when that is on. An unreachable store is logged, not fatal.
/// </summary>
public sealed partial class ObservationSeeding(
    IObservationReader observations,
    ObservationIngest ingest,
    DemoFeed demo,
    AuditLog audit,
    AppPaths paths,
    IOptions<MonitorOptions> options,
    ILogger<ObservationSeeding> logger)
{
    private const int SeedBatchSize = 5_000;

    public async Task InitializeAndSeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ingest.InitializeAsync(cancellationToken);
            if (options.Value.SeedScenario && await observations.ExtentAsync(cancellationToken) is null)
            {
                // The demo feed loads the scenario moved to now and streams its end; otherwise it keeps its real dates.
                if (demo.Enabled) await demo.LoadAsync(cancellationToken);
                else await SeedAsync(cancellationToken);
            }
        }
        catch (ObservationStoreUnavailableException ex)
        {
            // The app still serves the catalog and dashboards; /healthz reports the store as unreachable.
            LogStoreUnavailable(ex);
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var chunk in ScenarioFiles.ReadObservations(paths.SeedDirectory).Chunk(SeedBatchSize))
        {
            var outcome = await ingest.SubmitAsync(chunk, cancellationToken);
            if (outcome.Status != SubmissionStatus.Accepted)
            {
                var (key, messages) = outcome.Errors.First();
                throw new InvalidDataException($"The seed scenario has invalid observations (first: {key}: {messages[0]}).");
            }
            total += chunk.Length;
        }
        // One entry for the whole load, not one per chunk: it is one act of the system.
        await audit.RecordAsync(AuditLog.System, AuditActions.ObservationsSubmitted, Guid.NewGuid().ToString(),
            $"count={total}; channel=seed", null, cancellationToken);
        LogObservationsSeeded(total);
    }

    [LoggerMessage(LogLevel.Information, "Loaded {Count} reference scenario observations.")]
    private partial void LogObservationsSeeded(int count);

    [LoggerMessage(LogLevel.Error, "The observation store is unreachable at start; dashboards will be empty until it answers.")]
    private partial void LogStoreUnavailable(Exception exception);
}
