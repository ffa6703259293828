using System.Globalization;
using System.Runtime.ExceptionServices;
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
    RecordedSpans recorded,
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
    /// Writes in flight at once, as several clients would send them: InfluxDB takes concurrent writes faster than one
    /// after another (measured in bench/: drain rate 121k/s with one write in flight, 152k/s with four).
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

    /// <summary>
    /// Writes the outbox on from its front until it is empty, a write fails, or a batch that must go alone comes next.
    /// Public for tests that drive the drain step by step.
    /// </summary>
    public async Task DrainOnceAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await store.InitializeAsync(cancellationToken);
            recorded.Load(await store.NewestAsync(cancellationToken));
            _ready = true;
        }

        if (await WriteNewAsync(cancellationToken)) return;
        if (pending.Front(1) is not [var first, ..]) return;

        // A correction, a void or a batch still to be checked against InfluxDB goes alone, once everything before it is written.
        var batch = first.CheckDeferred ? await CheckDeferredAsync(first, cancellationToken) : first;
        await SettleAsync(await SendAsync([batch], cancellationToken));
    }

    /// <summary>
    /// New readings never collide (the guard saw to that), so their writes may overlap and finish in any order: up to
    /// <see cref="WritesInFlight"/> are kept in flight, the next built and sent as soon as one is confirmed, so InfluxDB
    /// never waits for the slowest write of a round. Stops before the first batch that is not new readings only; false
    /// when that is the first batch of the outbox (or it is empty), so nothing was written.
    /// </summary>
    private async Task<bool> WriteNewAsync(CancellationToken cancellationToken)
    {
        var inFlight = new List<Task<Sent>>(WritesInFlight);
        var sentThrough = 0L;
        var stop = false;
        var sent = false;
        Exception? failure = null;
        while (true)
        {
            while (!stop && inFlight.Count < WritesInFlight && NextWrite(sentThrough) is { } write)
            {
                inFlight.Add(SendAsync(write, cancellationToken));
                sentThrough = write[^1].Sequence;
                sent = true;
            }
            if (inFlight.Count == 0) break;

            var done = await Task.WhenAny(inFlight);
            inFlight.Remove(done);
            try
            {
                stop |= !await SettleAsync(await done);
            }
            catch (Exception ex)
            {
                // The other writes finish first (what they wrote is confirmed); then the first failure is reported.
                failure ??= ex;
                stop = true;
            }
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return sent;
    }

    /// <summary>
    /// The next write after <paramref name="sentThrough"/>: new-reading batches up to about <see cref="ChangesPerWrite"/>
    /// changes, or a single batch while isolating a refused write; null when the next batch is not new readings only.
    /// </summary>
    private IReadOnlyList<IngestBatch>? NextWrite(long sentThrough)
    {
        var next = pending.Front(ChangesPerWrite, after: sentThrough);
        var count = 0;
        while (count < next.Count && IsNew(next[count])) count++;
        if (count == 0) return null;
        // After a refused write of several batches, they are sent one at a time to find the one at fault.
        if (next[0].Sequence <= _isolateThrough) count = 1;
        return count == next.Count ? next : next.Take(count).ToArray();
    }

    private static bool IsNew(IngestBatch batch) => !batch.CheckDeferred && batch.Changes.All(c => c.Kind == ChangeKind.Record);

    /// <summary>One write to the store; a refusal is returned, any other failure thrown.</summary>
    private async Task<Sent> SendAsync(IReadOnlyList<IngestBatch> write, CancellationToken cancellationToken)
    {
        try
        {
            await store.ApplyAsync(write, cancellationToken);
            return new Sent(write, Refusal: null);
        }
        catch (ObservationStoreRejectedException ex)
        {
            return new Sent(write, ex.Message);
        }
    }

    /// <summary>
    /// Forgets confirmed batches. A refused write of several batches is isolated batch by batch on the next pass; a
    /// refused single batch is set aside. False when the write was refused.
    /// </summary>
    private async Task<bool> SettleAsync(Sent sent)
    {
        var (batches, refusal) = sent;
        if (refusal is null)
        {
            var sequences = batches.Select(b => b.Sequence).ToArray();
            journal.Drained(sequences);
            pending.Remove(sequences);
            _failures = 0;
            status.Reachable();
            status.BacklogChanged();
            return true;
        }
        if (batches.Count > 1) _isolateThrough = Math.Max(_isolateThrough, batches[^1].Sequence);
        else await DeadLetterAsync(batches[0], refusal);
        return false;
    }

    private sealed record Sent(IReadOnlyList<IngestBatch> Batches, string? Refusal);

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
