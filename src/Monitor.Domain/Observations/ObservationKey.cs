namespace Monitor.Domain.Observations;

/// <summary>What identifies one reading: a site's indicator at one instant (kept to the millisecond).</summary>
public readonly record struct ObservationKey(string SiteId, string IndicatorId, DateTimeOffset Timestamp)
{
    public SeriesKey Series => new(SiteId, IndicatorId);

    public override string ToString() => $"{SiteId}/{IndicatorId}@{Timestamp:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}";
}

/// <summary>One indicator at one site: the series a chart draws.</summary>
public readonly record struct SeriesKey(string SiteId, string IndicatorId);
