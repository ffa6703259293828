using Microsoft.Extensions.Options;

namespace Monitor.Web.Observations.Outbox;

/// <summary>The <c>Outbox</c> section: how much the app queues for InfluxDB before it refuses writes.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Observations queued at most; past it writes are answered 503 with Retry-After, never dropped.</summary>
    public int MaxBacklog { get; set; } = 500_000;

    /// <summary>How old the oldest queued batch may grow before writes are refused.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The longest wait between two attempts while InfluxDB does not answer.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A backlog older than this counts as growing (health Degraded) even while InfluxDB answers.</summary>
    public TimeSpan LagWarning { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class ValidateOutboxOptions : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBacklog < 10_000) failures.Add("Outbox:MaxBacklog must be at least 10000 observations (one full batch).");
        if (options.MaxAge <= TimeSpan.Zero) failures.Add("Outbox:MaxAge must be positive.");
        if (options.MaxRetryDelay < TimeSpan.FromMilliseconds(100)) failures.Add("Outbox:MaxRetryDelay must be at least 00:00:00.1.");
        if (options.LagWarning <= TimeSpan.Zero) failures.Add("Outbox:LagWarning must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
