using System.Globalization;
using System.Text;

namespace Monitor.AlertListener;

/// <summary>How a change is printed for a person: one line, fixed columns first, nothing a terminal would act on.</summary>
public static class AlertLine
{
    /// <summary>
    /// <c>2026-11-29 07:41:03Z  critical  firing    Mosul (Ninawa)  Fuel stations open at Mosul is 12 % — below 30 %</c>,
    /// with <c>  [acknowledged by …]</c> at the end once someone has acknowledged it. The time is that of the change:
    /// the latest of started, fired, resolved and acknowledged.
    /// </summary>
    public static string Format(AlertChange change)
    {
        var line = new StringBuilder();
        line.Append(change.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        line.Append("  ").Append(Clean(change.Severity).PadRight(8));
        line.Append("  ").Append(Clean(change.Status).PadRight(8));
        line.Append("  ").Append(Clean(change.SiteName ?? change.SiteId));
        if (change.Region.Length > 0) line.Append(" (").Append(Clean(change.Region)).Append(')');
        line.Append("  ").Append(Clean(change.Message));
        if (change.AcknowledgedBy is { Length: > 0 } by) line.Append("  [acknowledged by ").Append(Clean(by)).Append(']');
        return line.ToString();
    }

    /// <summary>
    /// Control characters (line breaks, and the escape that starts terminal sequences) become spaces: text typed into the
    /// app must neither break the one-line format nor move the cursor or retitle the window of whoever reads it.
    /// </summary>
    public static string Clean(string text)
    {
        if (!text.Any(IsControl)) return text;
        var clean = new StringBuilder(text.Length);
        foreach (var c in text) clean.Append(IsControl(c) ? ' ' : c);
        return clean.ToString();
    }

    // C0, DEL and C1 (which some terminals also obey), and the bidi controls that reorder what is shown.
    private static bool IsControl(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
