using System.Globalization;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// Writes the outbox on to InfluxDB in sequence order: a few thousand lines per write, deleted from the outbox only
/// after InfluxDB confirmed them, retried with growing, jittered delays (or as long as InfluxDB's <c>Retry-After</c>
/// asks) while it does not answer. A batch InfluxDB refuses for good is set aside as a dead letter for an Admin; a
/// batch accepted during an outage is first checked against what InfluxDB holds, and colliding readings are filed as
/// conflicts for a Coordinator. Writes are idempotent, so a retry, or a restart after <c>kill -9</c>, never duplicates.
/// </summary>
public sealed partial class OutboxDrain(
    IObservationStore store,
    IngestJournal journal,
    PendingChanges pending,
    SeriesHorizon horizon,
    ObservationFeed feed,
    StorageStatus status,
    AuditLog audit,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDrain> logger) : BackgroundService
{
    /// <summary>Changes taken per write: InfluxDB's guidance is 5,000 lines per request, which the store keeps to.</summary>
    public const int ChangesPerWrite = 5_000;

    /// <summary>
    /// Writes sent at once, as several clients would: InfluxDB takes concurrent writes faster than one after another
    /// (measured in bench/: drain rate 121k/s with one write in flight, 152k/s with four).
    /// </summary>
    private const int WritesInFlight = 4;

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);

    private bool _ready;
    private int _failures;
    private long _isolateThrough;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Under the embedded store a commit is the store itself: nothing is ever queued.
        if (!status.Queues) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (pending.Count == 0)
                {
                    await pending.WaitForWorkAsync(IdleCheck, stoppingToken);
                    continue;
                }
                await DrainOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObservationStoreUnavailableException ex)
            {
                status.Unreachable(ex.Message);
                var delay = ex.RetryAfter ?? Backoff(++_failures);
                LogUnreachable(pending.Count, delay.TotalSeconds, ex.Message);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Writes the front of the outbox once. Public for tests that drive the drain step by step.</summary>
    public async Task DrainOnceAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await store.InitializeAsync(cancellationToken);
            horizon.Load(await store.NewestAsync(cancellationToken));
            _ready = true;
        }

        var front = pending.Front(ChangesPerWrite * WritesInFlight);
        if (front.Count == 0) return;
        // After a refused write of several batches, send them one at a time to find the one at fault.
        if (front.Count > 1 && front[0].Sequence <= _isolateThrough) front = [front[0]];

        // New readings never collide (the guard saw to that), so their writes may overlap. A correction, a void or a
        // batch still to be checked against InfluxDB goes alone, once everything before it is written.
        var plain = front.TakeWhile(b => !b.CheckDeferred && b.Changes.All(c => c.Kind == ChangeKind.Record)).ToArray();
        IReadOnlyList<IngestBatch> taken = plain.Length > 0 ? plain : [front[0].CheckDeferred ? await CheckDeferredAsync(front[0], cancellationToken) : front[0]];

        try
        {
            await Task.WhenAll(Writes(taken).Select(write => store.ApplyAsync(write, cancellationToken)));
        }
        catch (ObservationStoreRejectedException ex)
        {
            if (taken.Count > 1)
            {
                _isolateThrough = taken[^1].Sequence;
                return;
            }
            await DeadLetterAsync(taken[0], ex.Message);
            return;
        }

        var sequences = taken.Select(b => b.Sequence).ToArray();
        journal.Drained(sequences);
        pending.Remove(sequences);
        _failures = 0;
        status.Reachable();
        status.BacklogChanged();
    }

    /// <summary>Batches grouped into writes of about <see cref="ChangesPerWrite"/> changes, in order.</summary>
    private static IEnumerable<IReadOnlyList<IngestBatch>> Writes(IReadOnlyList<IngestBatch> batches)
    {
        var write = new List<IngestBatch>();
        var changes = 0;
        foreach (var batch in batches)
        {
            if (write.Count > 0 && changes + batch.Changes.Count > ChangesPerWrite)
            {
                yield return write;
                write = [];
                changes = 0;
            }
            write.Add(batch);
            changes += batch.Changes.Count;
        }
        if (write.Count > 0) yield return write;
    }

    /// <summary>
    /// The batch was accepted while InfluxDB could not be asked what it holds. Readings it already holds identically are
    /// dropped; different ones keep the stored reading and are filed as conflicts.
    /// </summary>
    private async Task<IngestBatch> CheckDeferredAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var records = batch.Changes.Where(c => c.Kind == ChangeKind.Record).Select(c => c.Key).ToHashSet();
        var stored = await store.FindAsync(records, cancellationToken);
        var remaining = new List<ObservationChange>(batch.Changes.Count);
        var conflicts = new List<(Observation Proposed, Observation Existing)>();
        foreach (var change in batch.Changes)
        {
            if (change.Kind != ChangeKind.Record || !stored.TryGetValue(change.Key, out var existing)) remaining.Add(change);
            else if (!existing.Reading.SameReadingAs(change.Reading)) conflicts.Add((change.Reading, existing.Reading));
        }

        var checkedBatch = batch with { Changes = remaining, CheckDeferred = false };
        journal.FileConflicts(checkedBatch, conflicts, time.GetUtcNow());
        pending.Replace(checkedBatch);
        if (remaining.Count == batch.Changes.Count) return checkedBatch;

        // Pages showed the queued readings; they must now show what was kept.
        feed.Resync();
        if (conflicts.Count > 0)
        {
            LogConflictsFiled(conflicts.Count, batch.Sequence);
            await audit.RecordAsync(AuditLog.System, AuditActions.ConflictsFiled, batch.BatchId.ToString(),
                string.Create(CultureInfo.InvariantCulture, $"sequence={batch.Sequence}; conflicts={conflicts.Count}; submitted by {batch.RecordedBy}"),
                null, CancellationToken.None);
        }
        return checkedBatch;
    }

    private async Task DeadLetterAsync(IngestBatch batch, string reason)
    {
        journal.DeadLetter(batch, reason, time.GetUtcNow());
        pending.Remove([batch.Sequence]);
        feed.Resync();
        status.BacklogChanged();
        LogDeadLettered(batch.Sequence, batch.Changes.Count, reason);
        await audit.RecordAsync(AuditLog.System, AuditActions.BatchDeadLettered, batch.BatchId.ToString(),
            string.Create(CultureInfo.InvariantCulture, $"sequence={batch.Sequence}; count={batch.Changes.Count}; submitted by {batch.RecordedBy}; {reason}"),
            null, CancellationToken.None);
    }

    /// <summary>Exponential from a quarter second up to the configured maximum, with jitter so restarted peers do not retry in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        var ceiling = Math.Min(options.Value.MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures - 1, 16)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }

    [LoggerMessage(LogLevel.Warning, "InfluxDB did not take the queued writes ({Backlog} observations queued, nothing lost); next attempt in {Seconds:0.0} s: {Reason}")]
    private partial void LogUnreachable(int backlog, double seconds, string reason);

    [LoggerMessage(LogLevel.Warning, "{Count} readings of batch {Sequence}, accepted during an outage, collide with stored readings; filed as conflicts for a Coordinator.")]
    private partial void LogConflictsFiled(int count, long sequence);

    [LoggerMessage(LogLevel.Error, "InfluxDB refused batch {Sequence} ({Count} changes) for good; it is set aside as a dead letter: {Reason}")]
    private partial void LogDeadLettered(long sequence, int count, string reason);
}
