namespace Monitor.Domain.Observations;

/// <summary>
/// A point of a chart series. Undownsampled points carry the reading itself (with source and note);
/// a numeric bucket carries mean/min/max/count; a state bucket the last state of the bucket.
/// </summary>
public sealed record SeriesPoint(
    DateTimeOffset Timestamp,
    double? Value = null,
    double? Min = null,
    double? Max = null,
    int? Count = null,
    string? State = null,
    string? Source = null,
    string? Note = null);

public sealed record SeriesQuery(string SiteId, string IndicatorId, DateTimeOffset From, DateTimeOffset To, int MaxPoints);
