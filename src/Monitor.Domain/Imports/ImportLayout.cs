using System.Text.RegularExpressions;

namespace Monitor.Domain.Imports;

/// <summary>
/// Where each field sits in a file: read from the header names, or from an HXL hashtag row that follows the header or
/// replaces it. Columns may come in any order; columns of neither kind are ignored only under HXL, where datasets carry
/// many (<c>#adm1+name</c>, <c>#geo+lat</c>…), and refused in a plain header, where they are most likely a typo.
/// </summary>
public sealed partial class ImportLayout
{
    private readonly int[] _columns;

    private ImportLayout(int[] columns) => _columns = columns;

    /// <summary>The column index of a field, or -1 when the file has none.</summary>
    public int this[ImportField field] => _columns[(int)field];

    public bool Has(ImportField field) => _columns[(int)field] >= 0;

    /// <summary>
    /// An HXL hashtag row: every non-empty cell is a hashtag with optional <c>+attributes</c>, and at least one cell is
    /// filled. HXL finds this row by its shape, wherever it is among the first rows.
    /// </summary>
    public static bool IsHashtagRow(IReadOnlyList<string> cells)
    {
        var any = false;
        foreach (var cell in cells)
        {
            if (string.IsNullOrWhiteSpace(cell)) continue;
            if (!HashtagPattern().IsMatch(cell.Trim())) return false;
            any = true;
        }
        return any;
    }

    /// <summary>Maps header names (<c>site</c>, <c>indicator</c>…; <c>siteId</c>/<c>indicatorId</c> too, as the seed files name them).</summary>
    public static ImportLayout FromHeader(IReadOnlyList<string> names, int line)
    {
        var columns = Unmapped();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Trim();
            if (name.Length == 0) continue;
            ImportField? field = name.ToLowerInvariant() switch
            {
                "site" or "siteid" => ImportField.Site,
                "indicator" or "indicatorid" => ImportField.Indicator,
                "timestamp" => ImportField.Timestamp,
                "value" => ImportField.Value,
                "state" => ImportField.State,
                "source" => ImportField.Source,
                "note" => ImportField.Note,
                _ => null,
            };
            if (field is not { } f)
                throw new ImportFormatException(line, "header",
                    $"Unknown column '{Printable(name)}' in the header; the columns are {string.Join(", ", ImportFields.All.Select(x => x.Name()))}.");
            Place(columns, f, i, name, line);
        }
        return Checked(columns, line);
    }

    /// <summary>Maps an HXL hashtag row: <c>#loc+code</c> (or <c>#adm1+code</c>), <c>#indicator+code</c>, <c>#date</c>, <c>#value</c>, <c>#status</c>, <c>#meta+source</c>, <c>#meta+note</c>.</summary>
    public static ImportLayout FromHashtags(IReadOnlyList<string> tags, int line)
    {
        var columns = Unmapped();
        var siteFromAdm1 = -1;
        for (var i = 0; i < tags.Count; i++)
        {
            var (tag, attributes) = Split(tags[i]);
            ImportField? field = tag switch
            {
                "#loc" when attributes.Contains("code") => ImportField.Site,
                "#indicator" when attributes.Contains("code") => ImportField.Indicator,
                "#date" => ImportField.Timestamp,
                "#value" => ImportField.Value,
                "#status" => ImportField.State,
                "#meta" when attributes.Contains("source") => ImportField.Source,
                "#meta" when attributes.Contains("note") => ImportField.Note,
                _ => null,
            };
            if (tag == "#adm1" && attributes.Contains("code") && siteFromAdm1 < 0) siteFromAdm1 = i;
            if (field is { } f) Place(columns, f, i, tags[i].Trim(), line);
        }
        // #adm1+code names the place when no #loc+code does (a governorate-level site, its P-code).
        if (columns[(int)ImportField.Site] < 0) columns[(int)ImportField.Site] = siteFromAdm1;
        return Checked(columns, line);
    }

    private static int[] Unmapped() => Enumerable.Repeat(-1, ImportFields.All.Count).ToArray();

    private static void Place(int[] columns, ImportField field, int index, string label, int line)
    {
        if (columns[(int)field] >= 0)
            throw new ImportFormatException(line, field.Name(), $"Two columns give the {field.Name()} ('{Printable(label)}' is the second).");
        columns[(int)field] = index;
    }

    private static ImportLayout Checked(int[] columns, int line)
    {
        foreach (var required in (ReadOnlySpan<ImportField>)[ImportField.Site, ImportField.Indicator, ImportField.Timestamp])
        {
            if (columns[(int)required] < 0)
                throw new ImportFormatException(line, required.Name(), $"The file has no {required.Name()} column (HXL: {required.Hashtag()}).");
        }
        if (columns[(int)ImportField.Value] < 0 && columns[(int)ImportField.State] < 0)
            throw new ImportFormatException(line, "value", "The file has neither a value nor a state column (HXL: #value, #status).");
        return new ImportLayout(columns);
    }

    private static (string Tag, HashSet<string> Attributes) Split(string cell)
    {
        var parts = cell.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Split('+');
        return (parts[0], parts.Skip(1).ToHashSet(StringComparer.Ordinal));
    }

    private static string Printable(string s) => new(s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"^#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*$")]
    private static partial Regex HashtagPattern();
}
