using Microsoft.Extensions.Options;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;

namespace Monitor.Web.Observations;

/// <summary>The one write path for observations, whatever they come from (API, forms, CSV, seed): validate, store, announce.</summary>
public sealed class ObservationIngest(
    CatalogService catalog,
    IObservationStore store,
    ObservationFeed feed,
    TimeProvider time,
    IOptions<MonitorOptions> options)
{
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
