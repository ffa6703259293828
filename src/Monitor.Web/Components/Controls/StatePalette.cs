using System.Globalization;
using Monitor.Domain.Catalog;

namespace Monitor.Web.Components.Controls;

/// <summary>
/// The one colour of each state wherever a state is drawn (chips, tiles, timelines). Colour follows the state's
/// severity (<see cref="StateSeverity"/>): the first is green, the last red and those between run from
/// amber to orange. An indicator an operator defines later gets colours without any configuration.
/// </summary>
public static class StatePalette
{
    public const string Normal = "#2E7D32";
    public const string Degraded = "#F0A202";
    public const string Severe = "#E8590C";
    public const string Worst = "#C62828";
    public const string Unknown = "#78909C";

    public static string ColorOf(IndicatorDefinition indicator, string? state)
    {
        var rank = StateSeverity.RankOf(indicator, state);
        return rank < 0 ? Unknown : ColorAt(rank, indicator.States.Count);
    }

    /// <summary>Colours of the indicator's states, in the indicator's order.</summary>
    public static IReadOnlyList<string> ColorsOf(IndicatorDefinition indicator) =>
        [.. Enumerable.Range(0, indicator.States.Count).Select(i => ColorAt(i, indicator.States.Count))];

    public static string ColorAt(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        if (index == 0) return Normal;
        if (index == count - 1) return Worst;
        var between = count - 2;
        return between == 1 ? Degraded : Mix(Degraded, Severe, (index - 1) / (double)(between - 1));
    }

    /// <summary>Black or white, whichever reads better on <paramref name="background"/> (WCAG relative luminance).</summary>
    public static string TextOn(string background)
    {
        var (r, g, b) = Parse(background);
        var luminance = 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
        return luminance > 0.4 ? "#1B1B1B" : "#FFFFFF";

        static double Linear(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
    }

    private static string Mix(string from, string to, double t)
    {
        var (r1, g1, b1) = Parse(from);
        var (r2, g2, b2) = Parse(to);
        return string.Create(CultureInfo.InvariantCulture,
            $"#{Lerp(r1, r2):X2}{Lerp(g1, g2):X2}{Lerp(b1, b2):X2}");

        int Lerp(int a, int b) => (int)Math.Round(a + (b - a) * t);
    }

    private static (int R, int G, int B) Parse(string hex) => (
        int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
