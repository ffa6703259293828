using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Security;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// What the outbox could not write as sent: conflicts (readings accepted during an outage that collide with stored ones;
/// a Coordinator applies or discards each) and dead letters (batches InfluxDB refused for good; Admins inspect them).
/// </summary>
public static class OutboxApi
{
    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observations").WithTags("Observations");
        api.MapGet("/conflicts", GetConflicts).RequireAuthorization(Policies.Coordinator);
        api.MapPost("/conflicts/{id:long}/apply", ApplyConflict).RequireAuthorization(Policies.Coordinator);
        api.MapPost("/conflicts/{id:long}/discard", DiscardConflict).RequireAuthorization(Policies.Coordinator);
        api.MapGet("/dead-letters", GetDeadLetters).RequireAuthorization(Policies.Admin);
        return app;
    }

    public static Results<Ok<IReadOnlyList<ConflictResponse>>, ProblemHttpResult> GetConflicts(string? status, IngestJournal journal)
    {
        if (status is not (null or "open" or "all"))
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "One or more query values are invalid.",
                new Dictionary<string, string[]> { ["status"] = ["status must be 'open' (default) or 'all'."] });
        return TypedResults.Ok<IReadOnlyList<ConflictResponse>>(journal.Conflicts(openOnly: status != "all").Select(ConflictResponse.From).ToArray());
    }

    public static async Task<Results<Ok<AcceptedResponse>, ProblemHttpResult>> ApplyConflict(
        long id, HttpContext context, ObservationIngest ingest, CancellationToken cancellationToken)
    {
        var submission = await ingest.ApplyConflictAsync(id, Submitter.Of(context, "conflict"), cancellationToken);
        return submission.Status == SubmissionStatus.Accepted
            ? TypedResults.Ok(AcceptedResponse.From(submission))
            : JsonBody.Problem(StatusCodes.Status404NotFound, "No such open conflict", submission.Errors);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DiscardConflict(long id, HttpContext context, ObservationIngest ingest)
    {
        return await ingest.DiscardConflictAsync(id, Submitter.Of(context, "conflict"))
            ? TypedResults.NoContent()
            : JsonBody.Problem(StatusCodes.Status404NotFound, "No such open conflict",
                new Dictionary<string, string[]> { ["id"] = [string.Create(CultureInfo.InvariantCulture, $"No open conflict {id}.")] });
    }

    public static Ok<IReadOnlyList<DeadLetterResponse>> GetDeadLetters(IngestJournal journal) =>
        TypedResults.Ok<IReadOnlyList<DeadLetterResponse>>(journal.DeadLetters().Select(DeadLetterResponse.From).ToArray());
}

public sealed record ReadingResponse(string SiteId, string IndicatorId, DateTimeOffset Timestamp, double? Value, string? State, string? Source, string? Note)
{
    public static ReadingResponse From(Observation o) => new(o.SiteId, o.IndicatorId, o.Timestamp, o.Value, o.State, o.Source, o.Note);
}

public sealed record ConflictResponse(
    long Id, long Sequence, DateTimeOffset FiledAt, string Status, string? SubmittedBy, ReadingResponse Proposed, ReadingResponse Existing,
    string? ResolvedBy, DateTimeOffset? ResolvedAt)
{
    public static ConflictResponse From(IngestConflict c) => new(c.Id, c.Sequence, c.FiledAt, c.Status.ToString().ToLowerInvariant(), c.SubmittedBy,
        ReadingResponse.From(c.Proposed), ReadingResponse.From(c.Existing), c.ResolvedBy, c.ResolvedAt);
}

public sealed record DeadLetterResponse(
    long Sequence, Guid? BatchId, DateTimeOffset FailedAt, string Reason, string? RecordedBy, string? Channel, IReadOnlyList<ReadingResponse> Observations)
{
    public static DeadLetterResponse From(DeadLetter d) =>
        new(d.Sequence, d.BatchId, d.FailedAt, d.Reason, d.RecordedBy, d.Channel, d.Observations.Select(ReadingResponse.From).ToArray());
}
