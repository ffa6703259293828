using System.Globalization;
using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Embedded;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.Outbox;
using Monitor.Web.Security;

namespace Monitor.Web.Observations.Ingest;

/// <summary>Who submits a batch and through what (<c>api</c>, <c>form</c>, <c>csv</c>, <c>seed</c>), for the audit trail and history.</summary>
public sealed record Submitter(ClaimsPrincipal? Principal, string Channel, string? RemoteIp = null)
{
    /// <summary>The system's own loads: recorded in history as <c>system</c>, audited by their caller as one act.</summary>
    public static Submitter System(string channel) => new(null, channel);

    /// <summary>The signed-in user or key of a request.</summary>
    public static Submitter Of(HttpContext context, string channel) =>
        new(context.User, channel, ClientAddress.Of(context));

    public string Name => Principal is null ? AuditLog.System : AuditLog.ActorOf(Principal);

    /// <summary>
    /// A form's own key for one submission, kept with the batch it commits: sending the same key again (a form resending
    /// after a lost connection) is answered with that batch and changes nothing, even if the readings were corrected since.
    /// </summary>
    public string? SubmissionKey { get; init; }

    /// <summary>Plausibility warnings the reporter saw and confirmed, recorded in the batch's audit entry.</summary>
    public IReadOnlyList<string> Confirmed { get; init; } = [];

    public const int MaxSubmissionKeyLength = 100;
}

public enum SubmissionStatus
{
    /// <summary>Committed (or every item was already recorded, identically).</summary>
    Accepted,

    /// <summary>Invalid items; <see cref="Submission.Errors"/> keyed <c>[index].field</c>.</summary>
    Invalid,

    /// <summary>Different readings already recorded; <see cref="Submission.Errors"/> keyed <c>[index]</c>.</summary>
    Conflict,

    /// <summary>A correction of a reading that does not exist.</summary>
    NotFound,
}

/// <summary>The outcome of a submission: how many items were accepted, how many were already recorded, and the batch it made.</summary>
public sealed record Submission(
    SubmissionStatus Status,
    IReadOnlyDictionary<string, string[]> Errors,
    int Accepted = 0,
    int Unchanged = 0,
    Guid? BatchId = null,
    long? Sequence = null,
    bool Resubmitted = false)
{
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();

    public static Submission Refused(SubmissionStatus status, IReadOnlyDictionary<string, string[]> errors) => new(status, errors);

    /// <summary>A submission key sent again: the batch it committed the first time, nothing changed now.</summary>
    public static Submission Repeated(int count, BatchRecord earlier) =>
        new(SubmissionStatus.Accepted, None, count, count, earlier.BatchId, earlier.Sequence, Resubmitted: true);

    public static Submission Done(int accepted, int unchanged, IngestBatch? batch) =>
        new(SubmissionStatus.Accepted, None, accepted, unchanged, batch?.BatchId, batch?.Sequence);
}

/// <summary>
/// The one write path for observations, whatever they come from (API, forms, CSV, corrections, seed): validate, guard
/// history, commit durably under the next ingest sequence, announce in order, audit.
/// </summary>
/// <remarks>
/// One writer at a time holds <see cref="_writer"/> from the history check to the announcement, so sequences, commits
/// and announcements share one order and no two batches can slip the same reading past the guard. Parsing and
/// validation run before it, in parallel. Under InfluxDB the commit is the on-disk outbox (<see cref="OutboxDrain"/>
/// writes it on); under the embedded store it is the store itself.
/// </remarks>
public sealed partial class ObservationIngest(
    CatalogService catalog,
    IObservationStore store,
    IngestJournal journal,
    PendingChanges pending,
    RecordedSpans recorded,
    ObservationFeed feed,
    StorageStatus status,
    TimeProvider time,
    AuditLog audit,
    IOptions<MonitorOptions> options,
    ILogger<ObservationIngest> logger)
{
    /// <summary>At most this many observations share one group commit.</summary>
    private const int MaxGroupObservations = 20_000;

    private readonly SemaphoreSlim _writer = new(1, 1);

    // The readings accepted so far in the group being committed. Kept from group to group: sized for thousands of
    // readings, a new one per group was a large-object allocation, and those set off full collections.
    private readonly Dictionary<ObservationKey, Observation> _earlierInGroup = [];
    private readonly Channel<QueuedSubmission> _queue = Channel.CreateUnbounded<QueuedSubmission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _committer;
    private readonly SqliteObservationStore? _embedded = store as SqliteObservationStore;

    /// <summary>Opens the journal, reloads the outbox and learns what each series holds (if the store answers).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        journal.Initialize();
        feed.ContinueFrom(journal.LastSequence);
        if (_embedded is null)
        {
            foreach (var batch in journal.LoadOutbox())
            {
                pending.Add(batch);
                // Once written on, these readings are in the store but not among its newest of a moment ago.
                recorded.Record(batch.Changes);
            }
            if (pending.Count > 0) LogOutboxReloaded(pending.Count);
        }

        try
        {
            await store.InitializeAsync(cancellationToken);
            recorded.Load(await store.NewestAsync(cancellationToken));
        }
        catch (ObservationStoreUnavailableException ex) when (_embedded is null)
        {
            // Writes are still accepted into the outbox; the drain prepares the database once InfluxDB answers.
            LogStoreUnavailableAtStart(ex);
        }
    }

    /// <summary>Submits a batch for a person or a key; an accepted batch is audited (<c>observations.submitted</c>).</summary>
    public async Task<Submission> SubmitAsync(IReadOnlyList<ObservationInput?>? batch, Submitter submitter, CancellationToken cancellationToken)
    {
        var outcome = NewValidator().Validate(batch, catalog.Current);
        if (!outcome.IsValid) return Submission.Refused(SubmissionStatus.Invalid, outcome.Errors);
        return await SubmitCheckedAsync(outcome.Observations, submitter, cancellationToken);
    }

    /// <summary>A check against the current catalog for a reader that validates a batch as it reads it.</summary>
    public ObservationValidator.BatchCheck BeginCheck(int expectedItems) => NewValidator().Begin(catalog.Current, expectedItems);

    /// <summary>As <see cref="SubmitAsync(IReadOnlyList{ObservationInput?}?, Submitter, CancellationToken)"/>, for a whole batch that passed a <see cref="BeginCheck"/>.</summary>
    public async Task<Submission> SubmitCheckedAsync(IReadOnlyList<Observation> batch, Submitter submitter, CancellationToken cancellationToken)
    {
        if (submitter.SubmissionKey is { Length: 0 or > Submitter.MaxSubmissionKeyLength })
            return Submission.Refused(SubmissionStatus.Invalid, new Dictionary<string, string[]> { ["key"] = ["A submission key has 1 to 100 characters."] });

        cancellationToken.ThrowIfCancellationRequested();
        var queued = new QueuedSubmission(batch, submitter);
        if (!_queue.Writer.TryWrite(queued)) throw new ObjectDisposedException(nameof(ObservationIngest));
        if (Volatile.Read(ref _committer) is null)
        {
            lock (_starting) _committer ??= Task.Run(CommitQueuedAsync);
        }

        // Once queued, a batch commits whether or not its client still waits; waiting regardless keeps it in the trail.
        var (result, committed) = await queued.Outcome.Task;
        if (result.Resubmitted) await AuditRepeatAsync(result, submitter);
        if (committed is not null && submitter.Principal is not null)
        {
            var key = submitter.SubmissionKey is { } k ? $"; key={k}" : "";
            var confirmed = submitter.Confirmed.Count > 0 ? $"; confirmed={string.Join(", ", submitter.Confirmed)}" : "";
            await audit.RecordAsync(submitter.Principal, AuditActions.ObservationsSubmitted, committed.BatchId.ToString(),
                $"sequence={committed.Sequence}; count={committed.Changes.Count}; unchanged={result.Unchanged}; channel={submitter.Channel}{key}{confirmed}",
                submitter.RemoteIp, CancellationToken.None);
        }
        return result;
    }

    /// <summary>
    /// Group commit: takes every submission queued meanwhile, guards each against history (and against the ones before
    /// it in the group), and makes all accepted batches durable in one transaction. One fsync then serves many clients,
    /// where one per batch would cap single-observation posts at the disk's few hundred syncs a second.
    /// </summary>
    private async Task CommitQueuedAsync()
    {
        var group = new List<QueuedSubmission>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var size = 0;
            while (size < MaxGroupObservations && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
                size += next.Observations.Count;
            }

            await _writer.WaitAsync();
            try
            {
                await CommitGroupAsync(group);
            }
            catch (Exception ex)
            {
                foreach (var submission in group) submission.Outcome.TrySetException(ex);
            }
            finally
            {
                _writer.Release();
            }
            group.Clear();
        }
    }

    /// <summary>Called holding <see cref="_writer"/>. A submission refused or failing alone does not hold up the others.</summary>
    private async Task CommitGroupAsync(IReadOnlyList<QueuedSubmission> group)
    {
        var earlier = _earlierInGroup;
        earlier.Clear();
        var accepted = new List<(QueuedSubmission Submission, IngestBatch Batch, int Unchanged)>();
        var keyed = new Dictionary<string, IngestBatch>(StringComparer.Ordinal);
        var repeatsInGroup = new List<(QueuedSubmission Submission, IngestBatch First)>();
        var queuing = 0;
        foreach (var submission in group)
        {
            try
            {
                var observations = submission.Observations;
                // A key and its batch commit together, so two sends of one key cannot both pass, in one group or across.
                if (submission.Submitter.SubmissionKey is { } key)
                {
                    if (keyed.TryGetValue(key, out var first))
                    {
                        repeatsInGroup.Add((submission, first));
                        continue;
                    }
                    if (journal.FindSubmission(key) is { } committedBefore)
                    {
                        submission.Outcome.TrySetResult((Submission.Repeated(observations.Count, committedBefore), null));
                        continue;
                    }
                }
                var (existing, deferred) = await ExistingAsync(observations, CancellationToken.None);
                if (earlier.Count > 0)
                {
                    foreach (var o in observations)
                    {
                        if (earlier.TryGetValue(o.Key, out var reading)) existing[o.Key] = reading;
                    }
                }
                var guard = HistoryGuard.Check(observations, existing);
                if (guard.HasConflicts)
                {
                    submission.Outcome.TrySetResult((Submission.Refused(SubmissionStatus.Conflict, guard.Conflicts), null));
                    continue;
                }
                if (guard.New.Count == 0)
                {
                    submission.Outcome.TrySetResult((Submission.Done(observations.Count, guard.Unchanged, null), null));
                    continue;
                }

                var changes = ObservationChange.Records(guard.New);
                EnsureRoom(queuing + changes.Count);
                var batch = NewBatch(journal.LastSequence + 1 + accepted.Count, changes, submission.Submitter, deferred);
                // The last submission of the group has nothing after it to check.
                if (!ReferenceEquals(submission, group[^1]))
                {
                    foreach (var reading in guard.New) earlier[reading.Key] = reading;
                }
                queuing += changes.Count;
                accepted.Add((submission, batch, guard.Unchanged));
                if (batch.SubmissionKey is { } batchKey) keyed[batchKey] = batch;
            }
            catch (Exception ex)
            {
                submission.Outcome.TrySetException(ex);
            }
        }

        if (accepted.Count == 0) return;
        Commit(accepted.Select(a => a.Batch).ToArray());
        foreach (var (submission, batch, unchanged) in accepted)
        {
            submission.Outcome.TrySetResult((Submission.Done(submission.Observations.Count, unchanged, batch), batch));
        }
        foreach (var (submission, first) in repeatsInGroup)
        {
            var record = new BatchRecord(first.Sequence, first.BatchId, first.RecordedAt, first.RecordedBy, first.Channel);
            submission.Outcome.TrySetResult((Submission.Repeated(submission.Observations.Count, record), null));
        }
    }

    /// <summary>The system's own loads (the seed scenario): not audited here, recorded in history as <c>system</c>.</summary>
    public Task<Submission> SubmitAsync(IReadOnlyList<ObservationInput?>? batch, CancellationToken cancellationToken) =>
        SubmitAsync(batch, Submitter.System("seed"), cancellationToken);

    /// <summary>Corrects or voids one reading; the superseded version stays in its history. Audited (<c>observations.corrected</c>).</summary>
    public async Task<Submission> CorrectAsync(CorrectionInput? input, Submitter submitter, CancellationToken cancellationToken)
    {
        var outcome = NewValidator().ValidateCorrection(input, catalog.Current);
        if (outcome.Correction is not { } correction) return Submission.Refused(SubmissionStatus.Invalid, outcome.Errors);
        return await ReviseAsync(correction.Key, correction.Void, current => current with { Value = correction.Value, State = correction.State },
            correction.Reason, submitter, cancellationToken);
    }

    /// <summary>Makes the reading of an open conflict the recorded one, as a correction; audited.</summary>
    public async Task<Submission> ApplyConflictAsync(long id, Submitter submitter, CancellationToken cancellationToken)
    {
        if (journal.FindConflict(id) is not { Status: ConflictStatus.Open } conflict)
            return Submission.Refused(SubmissionStatus.NotFound, new Dictionary<string, string[]> { ["id"] = [$"No open conflict {id}."] });

        var result = await ReviseAsync(conflict.Proposed.Key, voiding: false, _ => conflict.Proposed,
            $"Applied conflict {id}: a reading sent while InfluxDB was unreachable.", submitter, cancellationToken);
        if (result.Status == SubmissionStatus.Accepted) await ResolveConflictAsync(conflict, ConflictStatus.Applied, submitter);
        return result;
    }

    /// <summary>Keeps the recorded reading of an open conflict and closes it; audited.</summary>
    public async Task<bool> DiscardConflictAsync(long id, Submitter submitter)
    {
        if (journal.FindConflict(id) is not { Status: ConflictStatus.Open } conflict) return false;
        return await ResolveConflictAsync(conflict, ConflictStatus.Discarded, submitter);
    }

    private async Task<bool> ResolveConflictAsync(IngestConflict conflict, ConflictStatus resolution, Submitter submitter)
    {
        if (!journal.ResolveConflict(conflict.Id, resolution, submitter.Name, time.GetUtcNow())) return false;
        var action = resolution == ConflictStatus.Applied ? AuditActions.ConflictApplied : AuditActions.ConflictDiscarded;
        await audit.RecordAsync(submitter.Principal, action, conflict.Id.ToString(CultureInfo.InvariantCulture),
            $"{conflict.Proposed.Key}; proposed={HistoryGuard.Describe(conflict.Proposed)}; kept={HistoryGuard.Describe(conflict.Existing)}",
            submitter.RemoteIp, CancellationToken.None);
        return true;
    }

    private async Task<Submission> ReviseAsync(
        ObservationKey key, bool voiding, Func<Observation, Observation> revise, string reason, Submitter submitter, CancellationToken cancellationToken)
    {
        IngestBatch committed;
        Submission? repeated = null;
        await _writer.WaitAsync(cancellationToken);
        try
        {
            if (submitter.SubmissionKey is { } submissionKey && journal.FindSubmission(submissionKey) is { } earlier)
                return repeated = Submission.Repeated(1, earlier);
            if (await CurrentAsync(key, cancellationToken) is not { } current)
            {
                return Submission.Refused(SubmissionStatus.NotFound, new Dictionary<string, string[]>
                {
                    ["timestamp"] = [$"There is no reading of '{key.IndicatorId}' at '{key.SiteId}' at {key.Timestamp:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} to correct."],
                });
            }

            var reading = voiding ? current.Reading : revise(current.Reading);
            if (!voiding && reading.SameReadingAs(current.Reading)) return Submission.Done(1, 1, null);
            var change = new ObservationChange(voiding ? ChangeKind.Void : ChangeKind.Correct, reading, reason, current);
            EnsureRoom(1);
            committed = NewBatch(journal.LastSequence + 1, [change], submitter, deferred: false);
            Commit([committed]);
        }
        finally
        {
            _writer.Release();
            if (repeated is not null) await AuditRepeatAsync(repeated, submitter);
        }

        await audit.RecordAsync(submitter.Principal, AuditActions.ObservationCorrected, committed.BatchId.ToString(),
            $"sequence={committed.Sequence}; {key}; {(voiding ? "void" : "value=" + HistoryGuard.Describe(committed.Changes[0].Reading))}; reason={reason}",
            submitter.RemoteIp, CancellationToken.None);
        return Submission.Done(1, 0, committed);
    }

    /// <summary>A submission key sent again is audited, naming the batch it committed the first time.</summary>
    private Task AuditRepeatAsync(Submission repeated, Submitter submitter) =>
        submitter.Principal is null
            ? Task.CompletedTask
            : audit.RecordAsync(submitter.Principal, AuditActions.ObservationsResubmitted, repeated.BatchId.ToString(),
                $"sequence={repeated.Sequence}; key={submitter.SubmissionKey}; channel={submitter.Channel}", submitter.RemoteIp, CancellationToken.None);

    /// <summary>
    /// What is recorded at the batch's keys: queued changes first, then the store for keys that may hold a reading. When
    /// InfluxDB cannot be asked the check is deferred to the drain.
    /// </summary>
    private async Task<(Dictionary<ObservationKey, Observation> Existing, bool Deferred)> ExistingAsync(
        IReadOnlyList<Observation> batch, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<ObservationKey, Observation>();
        var queued = pending.Latest(batch);
        foreach (var change in queued)
        {
            if (change is not null && change.Change.Kind != ChangeKind.Void) existing[change.Change.Key] = change.Change.Reading;
        }
        var mayExist = recorded.MayExist(batch, queued);
        if (mayExist.Count == 0) return (existing, false);
        var ask = mayExist.ToHashSet();

        try
        {
            foreach (var (key, stored) in await store.FindAsync(ask, cancellationToken)) existing[key] = stored.Reading;
            return (existing, false);
        }
        catch (ObservationStoreUnavailableException) when (_embedded is null)
        {
            return (existing, true);
        }
    }

    /// <summary>The reading recorded at a key now, as the version a correction supersedes.</summary>
    private async Task<ObservationVersion?> CurrentAsync(ObservationKey key, CancellationToken cancellationToken)
    {
        if (pending.Latest(key) is { } queued)
        {
            // A queued correction keeps its reason: the store writes this version again as the one superseded.
            return queued.Change.Kind == ChangeKind.Void ? null : queued.ToVersion();
        }
        if (!(await store.FindAsync([key], cancellationToken)).TryGetValue(key, out var stored)) return null;
        // A reading corrected before is a revision already, with its reason; one never corrected is described by its batch.
        if ((await store.RevisionsAsync(key, cancellationToken)).FirstOrDefault(v => v.Sequence == stored.Sequence) is { } revision) return revision;
        var batch = journal.FindBatch(stored.Sequence);
        return new ObservationVersion(stored.Reading, stored.Sequence, batch?.RecordedAt, batch?.RecordedBy);
    }

    /// <summary>Refuses a batch the outbox has no room for (under InfluxDB; the embedded store has no outbox).</summary>
    private void EnsureRoom(int changes)
    {
        if (_embedded is null && status.Current is var backlog && !backlog.Accepts(changes)) throw new BacklogFullException(backlog);
    }

    private ObservationValidator NewValidator() => new(time) { TimestampFloor = options.Value.TimestampFloor };

    private IngestBatch NewBatch(long sequence, IReadOnlyList<ObservationChange> changes, Submitter submitter, bool deferred) =>
        new(sequence, Guid.NewGuid(), time.GetUtcNow(), submitter.Name, submitter.Channel, changes, deferred, submitter.SubmissionKey);

    /// <summary>Makes the batches durable in one transaction, then announces them in order. Called holding <see cref="_writer"/>.</summary>
    private void Commit(IReadOnlyList<IngestBatch> batches)
    {
        if (_embedded is { } embedded)
        {
            journal.Commit(batches, (connection, transaction) => embedded.Apply(connection, transaction, batches));
        }
        else
        {
            journal.Commit(batches, (connection, transaction) =>
            {
                foreach (var batch in batches) IngestJournal.Enqueue(connection, transaction, batch);
            });
            foreach (var batch in batches) pending.Add(batch);
        }
        var snapshot = catalog.Current;
        foreach (var batch in batches)
        {
            recorded.Record(batch.Changes);
            feed.Publish(new FeedBatch(batch.Sequence, batch.Changes.Count, IndicatorsOf(batch.Changes),
                () => batch.Changes.Select(change => ToRecorded(change, snapshot)).ToArray()));
        }
        if (_embedded is null) status.BacklogChanged();
    }

    private static HashSet<string> IndicatorsOf(IReadOnlyList<ObservationChange> changes)
    {
        var indicators = new HashSet<string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var change in changes)
        {
            // Readings of one indicator usually come together, with the catalog's own string.
            if (ReferenceEquals(change.Reading.IndicatorId, last)) continue;
            last = change.Reading.IndicatorId;
            indicators.Add(last);
        }
        return indicators;
    }

    private static RecordedObservation ToRecorded(ObservationChange change, CatalogSnapshot catalog)
    {
        var o = change.Reading;
        var region = catalog.FindSite(o.SiteId)?.Region ?? "";
        return change.Kind == ChangeKind.Void
            ? new RecordedObservation(o.SiteId, region, o.IndicatorId, o.Timestamp, null, null, null, null, Voided: true)
            : new RecordedObservation(o.SiteId, region, o.IndicatorId, o.Timestamp, o.Value, o.State, o.Source, o.Note);
    }

    private sealed record QueuedSubmission(IReadOnlyList<Observation> Observations, Submitter Submitter)
    {
        public TaskCompletionSource<(Submission Result, IngestBatch? Committed)> Outcome { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(LogLevel.Error, "InfluxDB is unreachable at start; observations are queued on disk and written once it answers.")]
    private partial void LogStoreUnavailableAtStart(Exception exception);

    [LoggerMessage(LogLevel.Information, "{Count} observations accepted earlier are still queued for InfluxDB; they are written as it answers.")]
    private partial void LogOutboxReloaded(int count);
}

/// <summary>The outbox holds as much as it may; the batch was not stored and may be sent again later.</summary>
public sealed class BacklogFullException(StorageSnapshot snapshot)
    : Exception($"The write queue is full ({snapshot.Backlog:N0} observations waiting for the database, the oldest for {snapshot.BacklogAge:g}).")
{
    public StorageSnapshot Snapshot { get; } = snapshot;
}
