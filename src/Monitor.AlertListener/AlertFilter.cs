namespace Monitor.AlertListener;

/// <summary>
/// The subscription the listener asks the server for, applied again to what arrives: a connection receives every alert
/// until its <c>Subscribe</c> call has been answered, and a change from that moment must not slip through.
/// Regions compare case-insensitively and site ids exactly, as on the server.
/// </summary>
public sealed class AlertFilter(IEnumerable<string> regions, IEnumerable<string> siteIds, Severity minSeverity)
{
    private readonly HashSet<string> _regions = new(regions, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _siteIds = new(siteIds, StringComparer.Ordinal);

    public static AlertFilter Of(ListenerOptions options) => new(options.Regions, options.SiteIds, options.MinSeverity);

    /// <summary>The body of the hub's <c>Subscribe</c> call.</summary>
    public object ToSubscription() => new
    {
        regions = _regions.ToArray(),
        siteIds = _siteIds.ToArray(),
        minSeverity = minSeverity.ToString().ToLowerInvariant(),
        // Alerts only: live observations are for charts, and would cost the link far more than the alerts.
        observations = false,
    };

    public bool Matches(AlertChange change) =>
        (ParseSeverity(change.Severity) ?? Severity.Critical) >= minSeverity
        && ((_regions.Count == 0 && _siteIds.Count == 0) || _siteIds.Contains(change.SiteId) || _regions.Contains(change.Region));

    /// <summary>A severity by its name (<c>info</c>, <c>warning</c>, <c>critical</c>, any case); null for anything else.</summary>
    public static Severity? ParseSeverity(string? name) =>
        Enum.GetValues<Severity>().Select(s => (Severity?)s).FirstOrDefault(s => string.Equals(s.ToString(), name, StringComparison.OrdinalIgnoreCase));
}
