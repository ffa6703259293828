using Monitor.Web.Alerts;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Security;

namespace Monitor.Web.Live;

/// <summary>
/// The one place that decides what a hub connection of a given role may receive. Today every role sees every
/// observation and every alert; when per-region access needs less, the rule changes here and nowhere else.
/// </summary>
public static class LiveAccess
{
    public static bool MaySee(Role role, RecordedObservation observation) => role >= Role.Viewer;

    public static bool MaySee(Role role, AlertView alert) => role >= Role.Viewer;
}
