namespace Monitor.Web.Catalog;

/// <summary>A site as stored in the embedded database.</summary>
public sealed class SiteRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string Region { get; set; }
    public required string Country { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public string? Pcode { get; set; }
    public string? RegionPcode { get; set; }
}

/// <summary>An indicator definition as stored in the embedded database.</summary>
public sealed class IndicatorRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string? Unit { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public List<string> States { get; set; } = [];
    public List<string> SiteKinds { get; set; } = [];
    public TimeSpan Cadence { get; set; }
}
