using Monitor.Domain.Alerts;

namespace Monitor.Web.Alerts;

/// <summary>The <c>Alerts</c> configuration section.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// How often pending periods, missing reports, acknowledgement ends and silences are checked between readings; an
    /// alert raised by a reading is pushed at once, whatever this is.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>More than this many flips of a rule's condition at a site within <see cref="FlappingWindow"/> is flapping.</summary>
    public int FlappingLimit { get; set; } = FlappingSettings.Default.Limit;

    public TimeSpan FlappingWindow { get; set; } = FlappingSettings.Default.Window;

    /// <summary>Alert changes one <c>Resume</c> call returns at most (oldest first); a client asks again from the last.</summary>
    public int ResumeLimit { get; set; } = 10_000;

    public FlappingSettings Flapping => new(FlappingLimit, FlappingWindow);
}
