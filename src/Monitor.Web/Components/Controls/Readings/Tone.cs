using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;

namespace Monitor.Web.Components.Controls.Readings;

/// <summary>
/// The colour a reading takes from its alert, as a CSS modifier (<c>alert-tone--critical</c>, …): severity decides it,
/// so a tile, a chart band and a rule's badge say the same thing in the same colour. No alert is neutral.
/// </summary>
public static class Tone
{
    public const string Neutral = "neutral";

    public static string Of(AlertView? alert) => alert is null ? Neutral : Of(alert.Severity);

    public static string Of(Severity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>The colour itself, for places CSS cannot reach (chart annotations drawn by ApexCharts).</summary>
    public static string Color(Severity severity) => severity switch
    {
        Severity.Critical => "#C62828",
        Severity.Warning => "#D98E04",
        _ => "#2F6DB5",
    };
}
