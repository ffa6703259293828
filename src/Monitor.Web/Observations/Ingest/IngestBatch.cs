using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Ingest;

/// <summary>
/// A committed unit of change: one accepted API batch, form submission, import or correction. Its
/// <see cref="Sequence"/> is global and strictly increasing; stores apply batches, and the feed announces them, in
/// that order.
/// </summary>
/// <param name="CheckDeferred">
/// The store could not be asked whether these readings already exist when the batch was accepted (an outage); the
/// drain asks before writing and files what collides as a conflict.
/// </param>
/// <param name="SubmissionKey">The client's key for this submission (a form's), kept with the batch so a re-send is a no-op.</param>
public sealed record IngestBatch(
    long Sequence,
    Guid BatchId,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    string Channel,
    IReadOnlyList<ObservationChange> Changes,
    bool CheckDeferred = false,
    string? SubmissionKey = null);
