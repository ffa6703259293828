using Monitor.Domain.Catalog;

namespace Monitor.Domain.Dashboards;

public static class DashboardValidator
{
    /// <summary>
    /// Checks a provisioned dashboard against the catalog; on failure says which field is wrong. A dashboard without an
    /// id takes <paramref name="defaultId"/> (its file's name).
    /// </summary>
    public static (DashboardDefinition? Dashboard, string? Problem) Validate(DashboardDefinition dashboard, string defaultId, CatalogSnapshot catalog)
    {
        var id = string.IsNullOrWhiteSpace(dashboard.Id) ? defaultId : dashboard.Id;
        if (!id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return (null, $"id: '{id}' must use lowercase letters, digits and '-'");
        if (string.IsNullOrWhiteSpace(dashboard.Title)) return (null, "title: a title is required");
        if (dashboard.Panels is null || dashboard.Panels.Count == 0) return (null, "panels: at least one panel is required");

        for (var p = 0; p < dashboard.Panels.Count; p++)
        {
            var panel = dashboard.Panels[p];
            var at = $"panels[{p}]";
            if (panel is null) return (null, $"{at}: a panel object is required");
            var indicator = catalog.FindIndicator(panel.Indicator ?? "");
            if (indicator is null) return (null, $"{at}.indicator: unknown indicator '{panel.Indicator}'");
            if (panel.View == PanelView.Chart && indicator.Kind != IndicatorKind.Numeric)
                return (null, $"{at}.view: a chart needs a numeric indicator; '{indicator.Id}' is a state indicator (use tiles or timeline)");
            if (panel.View == PanelView.Timeline && indicator.Kind != IndicatorKind.State)
                return (null, $"{at}.view: a timeline needs a state indicator; '{indicator.Id}' is numeric (use chart or tiles)");
            if (panel.Width is < 1 or > 12) return (null, $"{at}.width: must be 1 to 12 grid columns");
            if (panel.Sites is null || panel.Sites.Count == 0) return (null, $"{at}.sites: at least one site is required");
            for (var s = 0; s < panel.Sites.Count; s++)
            {
                var site = catalog.FindSite(panel.Sites[s] ?? "");
                if (site is null) return (null, $"{at}.sites[{s}]: unknown site '{panel.Sites[s]}'");
                if (!indicator.AppliesTo(site))
                    return (null, $"{at}.sites[{s}]: '{indicator.Id}' does not apply to {site.Kind} site '{site.Id}'");
            }
        }

        return (dashboard with { Id = id }, null);
    }
}
