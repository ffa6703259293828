using Monitor.Web.Observations.Feed;

namespace Monitor.Web.Live;

/// <summary>What the server calls on connected clients of <c>/hubs/alerts</c>.</summary>
public interface IMonitorClient
{
    Task ObservationRecorded(RecordedObservation observation);
}
