using Monitor.Web.Alerts;
using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Live;

/// <summary>What the server calls on connected clients of <c>/hubs/alerts</c>.</summary>
public interface IMonitorClient
{
    Task ObservationRecorded(RecordedObservation observation);

    /// <summary>An alert changed status or acknowledgement (or its silence ended): the alert as it is now.</summary>
    Task AlertChanged(AlertView alert);
}
