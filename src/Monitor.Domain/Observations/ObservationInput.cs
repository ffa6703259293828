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

/// <summary>
/// The fields of one posted item, as <see cref="ObservationInput"/> holds them, for readers that check items as they
/// read them (<see cref="ObservationValidator.Begin"/>) instead of keeping an object per item.
/// </summary>
public readonly record struct ObservationFields(
    string? SiteId,
    string? IndicatorId,
    double? Value,
    string? State,
    DateTimeOffset? Timestamp,
    string? Source,
    string? Note)
{
    public static ObservationFields Of(ObservationInput input) =>
        new(input.SiteId, input.IndicatorId, input.Value, input.State, input.Timestamp, input.Source, input.Note);

    public ObservationInput ToInput() => new(SiteId, IndicatorId, Value, State, Timestamp, Source, Note);
}
