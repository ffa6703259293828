using Monitor.Domain.Observations;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Integration.Tests.Stores;

/// <summary>Writes readings straight into a store, as the ingest pipeline's last step does, for tests of the store alone.</summary>
public static class StoreWrites
{
    private static long _sequence;

    public static Task WriteAsync(this IObservationStore store, IReadOnlyList<Observation> batch, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var ingest = new IngestBatch(sequence, Guid.NewGuid(), DateTimeOffset.UtcNow, "test", "test", batch.Select(ObservationChange.Record).ToArray());
        return store.ApplyAsync([ingest], cancellationToken);
    }
}
