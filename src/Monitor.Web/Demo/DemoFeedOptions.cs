using System.Globalization;
using Microsoft.Extensions.Options;

namespace Monitor.Web.Demo;

/// <summary>
/// The <c>Monitor:DemoFeed</c> section: on a first start, load the reference scenario moved in time so that it reaches
/// now, and stream its final part live. Off, the scenario keeps its real dates.
/// </summary>
public sealed class DemoFeedOptions
{
    public const string Section = "Monitor:DemoFeed";

    /// <summary>Largest speed: 6-hourly readings still land tens of milliseconds apart.</summary>
    public const double MaxSpeed = 1_000_000;

    public bool Enabled { get; set; }

    /// <summary>Scenario time per real time. 8640: a scenario day every 10 seconds.</summary>
    public double Speed { get; set; } = 8_640;

    /// <summary>
    /// Scenario readings from this moment on are streamed; those before it are loaded at once. The default is the eve of
    /// the fall of Mosul in the reference scenario, so every kind of turning point arrives live within two minutes.
    /// </summary>
    public DateTimeOffset LiveFrom { get; set; } = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);
}

public sealed class ValidateDemoFeedOptions : IValidateOptions<DemoFeedOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoFeedOptions options) =>
        options.Speed is >= 1 and <= DemoFeedOptions.MaxSpeed
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"Monitor:DemoFeed:Speed must be between 1 and {DemoFeedOptions.MaxSpeed:0} (scenario time per real time)."));
}
