using System.Security.Claims;
using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;

namespace Monitor.Web.Observations;

/// <summary>Who submits a batch and through what (<c>api</c>, <c>form</c>, <c>csv</c>), for the audit trail.</summary>
public sealed record Submitter(ClaimsPrincipal? Principal, string Channel, string? RemoteIp = null);

/// <summary>The validation outcome and, when the batch was stored, the id its audit entry names.</summary>
public sealed record Submission(ValidationOutcome Outcome, Guid? BatchId);

/// <summary>The one write path for observations, whatever they come from (API, forms, CSV, seed): validate, store, announce.</summary>
public sealed class ObservationIngest(
    CatalogService catalog,
    IObservationStore store,
    ObservationFeed feed,
    TimeProvider time,
    AuditLog audit,
    IOptions<MonitorOptions> options)
{
    /// <summary>
    /// Stores a batch for a person or a key and records it in the audit trail (<c>observations.submitted</c>, target the
    /// new batch id, details the count and channel).
    /// </summary>
    public async Task<Submission> SubmitAsync(IReadOnlyList<ObservationInput?>? batch, Submitter submitter, CancellationToken cancellationToken)
    {
        var outcome = await SubmitAsync(batch, cancellationToken);
        if (!outcome.IsValid) return new Submission(outcome, null);

        var batchId = Guid.NewGuid();
        // Stored is stored: a client that hangs up now must not leave the batch out of the trail.
        await audit.RecordAsync(submitter.Principal, AuditActions.ObservationsSubmitted, batchId.ToString(),
            $"count={outcome.Observations.Count}; channel={submitter.Channel}", submitter.RemoteIp, CancellationToken.None);
        return new Submission(outcome, batchId);
    }

    /// <summary>Stores a batch without an audit entry: for the system's own loads, which record one entry for the whole load.</summary>
    public async Task<ValidationOutcome> SubmitAsync(IReadOnlyList<ObservationInput?>? batch, CancellationToken cancellationToken)
    {
        var snapshot = catalog.Current;
        var validator = new ObservationValidator(time) { TimestampFloor = options.Value.TimestampFloor };
        var outcome = validator.Validate(batch, snapshot);
        if (!outcome.IsValid) return outcome;

        await store.WriteAsync(outcome.Observations, cancellationToken);
        feed.Publish(outcome.Observations
            .Select(o => new RecordedObservation(
                o.SiteId, snapshot.SitesById[o.SiteId].Region, o.IndicatorId, o.Timestamp, o.Value, o.State, o.Source, o.Note))
            .ToArray());
        return outcome;
    }
}
