namespace Monitor.Domain.Dashboards;

/// <summary>A dashboard as provisioned from <c>dashboards/*.json</c>.</summary>
public sealed record DashboardDefinition(
    string Id,
    string Title,
    string? Description,
    int Order,
    IReadOnlyList<PanelDefinition> Panels);

/// <summary>One panel: an indicator shown for a list of sites as a chart, latest-value tiles or a state timeline.</summary>
public sealed record PanelDefinition(
    string Title,
    string Indicator,
    PanelView View,
    IReadOnlyList<string> Sites,
    int Width = 6);

public enum PanelView
{
    Chart,
    Tiles,
    Timeline,
}
