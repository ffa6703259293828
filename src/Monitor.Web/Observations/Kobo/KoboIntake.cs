using Microsoft.EntityFrameworkCore;
using Monitor.Domain.Kobo;
using Monitor.Web.Data;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Kobo;

/// <summary>What became of a submission: the pipeline's answer, or the receipt of an earlier one with the same <c>_uuid</c>.</summary>
public sealed record KoboOutcome(SubmissionStatus Status, IReadOnlyDictionary<string, string[]> Errors, KoboReceipt? Receipt);

/// <summary>The answer to Kobo: how many readings the submission gave, and whether it had been received before.</summary>
public sealed record KoboReceipt(string Uuid, int Accepted, int Unchanged, Guid? BatchId, long? Sequence, bool Duplicate)
{
    public static KoboReceipt From(KoboReceiptRow row, bool duplicate) =>
        new(row.Uuid, row.Accepted, row.Unchanged, row.BatchId, row.Sequence, duplicate);
}

/// <summary>
/// Takes in one Kobo submission as one batch of the ingest pipeline, once per <c>_uuid</c>. One submission at a time
/// holds the gate from the receipt check to the receipt, so two deliveries of one submission cannot both be taken in.
/// </summary>
/// <remarks>
/// The receipt is written after the batch commits; should the app stop in between, the resend is submitted again and
/// the pipeline finds the same readings already recorded (counted unchanged), so nothing is doubled either way.
/// </remarks>
public sealed class KoboIntake(ObservationIngest ingest, IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<KoboOutcome> ReceiveAsync(KoboMapping mapping, KoboSubmission submission, Submitter submitter, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // A resend is a no-op whatever happened since: even if the mapping or the recorded readings changed.
            if (submission.Uuid is { } uuid && await db.KoboReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.Uuid == uuid, cancellationToken) is { } earlier)
                return new KoboOutcome(SubmissionStatus.Accepted, new Dictionary<string, string[]>(), KoboReceipt.From(earlier, duplicate: true));
            if (!submission.IsValid) return new KoboOutcome(SubmissionStatus.Invalid, submission.Errors, null);

            var result = await ingest.SubmitAsync(submission.Batch, submitter, cancellationToken);
            if (result.Status != SubmissionStatus.Accepted) return new KoboOutcome(result.Status, submission.FormErrors(result.Errors), null);

            var receipt = new KoboReceiptRow
            {
                Uuid = submission.Uuid!, Mapping = mapping.Id, ReceivedAt = time.GetUtcNow(),
                Accepted = result.Accepted, Unchanged = result.Unchanged, BatchId = result.BatchId, Sequence = result.Sequence,
            };
            db.KoboReceipts.Add(receipt);
            // Committed is committed: a client hanging up now must still find its receipt when it sends again.
            await db.SaveChangesAsync(CancellationToken.None);
            return new KoboOutcome(SubmissionStatus.Accepted, new Dictionary<string, string[]>(), KoboReceipt.From(receipt, duplicate: false));
        }
        finally
        {
            _gate.Release();
        }
    }
}
