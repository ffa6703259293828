namespace Monitor.Domain.Observations;

/// <summary>
/// One reading of one indicator at one site. Exactly one of <see cref="Value"/> (numeric indicators) or
/// <see cref="State"/> (state indicators) is set. (site, indicator, timestamp) identifies it (<see cref="Key"/>).
/// </summary>
public sealed record Observation(
    string SiteId,
    string IndicatorId,
    DateTimeOffset Timestamp,
    double? Value,
    string? State,
    string? Source,
    string? Note)
{
    public ObservationKey Key => new(SiteId, IndicatorId, Timestamp);

    /// <summary>Whether both say the same thing: value or state, source and note (empty text counts as none).</summary>
    public bool SameReadingAs(Observation other) =>
        Key == other.Key
        && Nullable.Equals(Value, other.Value)
        && string.Equals(State, other.State, StringComparison.Ordinal)
        && string.Equals(NullIfEmpty(Source), NullIfEmpty(other.Source), StringComparison.Ordinal)
        && string.Equals(NullIfEmpty(Note), NullIfEmpty(other.Note), StringComparison.Ordinal);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
