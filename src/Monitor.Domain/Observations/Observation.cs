namespace Monitor.Domain.Observations;

/// <summary>
/// One reading of one indicator at one site. Exactly one of <see cref="Value"/> (numeric indicators) or
/// <see cref="State"/> (state indicators) is set. (site, indicator, timestamp) identifies it: writing the
/// same identity again replaces it, which makes retried writes harmless.
/// </summary>
public sealed record Observation(
    string SiteId,
    string IndicatorId,
    DateTimeOffset Timestamp,
    double? Value,
    string? State,
    string? Source,
    string? Note);
