namespace Monitor.Domain.Observations;

/// <summary>An observation as a reporter submits it, before validation against the catalog.</summary>
public sealed record ObservationInput(
    string? SiteId,
    string? IndicatorId,
    double? Value = null,
    string? State = null,
    DateTimeOffset? Timestamp = null,
    string? Source = null,
    string? Note = null);
