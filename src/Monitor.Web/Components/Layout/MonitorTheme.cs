using MudBlazor;

namespace Monitor.Web.Components.Layout;

/// <summary>
/// A calm theme for long watching: muted navy and slate, white surfaces on a soft grey page. Green, amber and red are
/// kept for states and freshness so they stand out. Fonts are the system's: the app may run without internet.
/// </summary>
public static class MonitorTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Noto Sans Arabic", "Liberation Sans", "Arial", "sans-serif"];

    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2B5C8A",
            Secondary = "#5C6F82",
            Tertiary = "#3BA39C",
            Info = "#2F6DB5",
            Success = "#2E7D32",
            // Dark enough for white text on it and for text on white (WCAG AA, 4.5:1): 5.4:1.
            Warning = "#935F00",
            Error = "#C62828",
            AppbarBackground = "#1E3A56",
            AppbarText = "#FFFFFF",
            Background = "#F4F6F9",
            Surface = "#FFFFFF",
            DrawerBackground = "#FFFFFF",
            DrawerText = "#2A3440",
            DrawerIcon = "#5C6F82",
            TextPrimary = "#1F2933",
            TextSecondary = "#5B6775",
            LinesDefault = "#E3E8EF",
            Divider = "#E3E8EF",
            TableLines = "#E3E8EF",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
            H4 = new H4Typography { FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.3" },
            H5 = new H5Typography { FontSize = "1.35rem", FontWeight = "600" },
            H6 = new H6Typography { FontSize = "1.05rem", FontWeight = "600", LineHeight = "1.4" },
            Button = new ButtonTypography { TextTransform = "none", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px", DrawerWidthLeft = "260px", DrawerWidthRight = "260px" },
    };
}
