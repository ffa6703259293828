using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using nietras.SeparatedValues;

namespace Monitor.Domain.Imports;

/// <summary>One data row of an import: the line it starts on, what it says (null when a cell could not be read) and why not.</summary>
public sealed record ImportRow(int Line, ObservationInput? Input, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Reads observation CSV with Sep: any column order, a header and/or an HXL hashtag row, <c>,</c> or <c>;</c> separators
/// (detected from the first row), CRLF or LF, quoted fields with separators, quotes and line breaks. Rows stream one at a
/// time; each carries the physical line it starts on. Cells are turned into <see cref="ObservationInput"/>s for the
/// ingest validator, which checks them against the catalog like any other submission.
/// </summary>
public static partial class ObservationCsv
{
    /// <summary>What spreadsheet programs would run as a formula; exports prefix such text cells with <c>'</c> (OWASP).</summary>
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    /// <exception cref="ImportFormatException">The header (or hashtag row) cannot be mapped to observations.</exception>
    public static IEnumerable<ImportRow> Read(TextReader text, CatalogSnapshot catalog)
    {
        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).From(text);
        ImportLayout? layout = null;
        (string[] Cells, int Line)? header = null;
        var columnCount = 0;
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            if (cells is [""]) continue;

            if (layout is null)
            {
                if (ImportLayout.IsHashtagRow(cells))
                {
                    (layout, columnCount) = (ImportLayout.FromHashtags(cells, line), cells.Length);
                    continue;
                }
                if (header is null)
                {
                    header = (cells, line);
                    continue;
                }
                // No hashtag row right under the header: the header alone says where the fields are.
                (layout, columnCount) = (ImportLayout.FromHeader(header.Value.Cells, header.Value.Line), header.Value.Cells.Length);
            }

            yield return Parse(cells, line, layout, columnCount, catalog);
        }

        if (layout is null && header is null) throw new ImportFormatException(1, "header", "The file is empty: it needs a header row and at least one row of observations.");
        if (layout is null) ImportLayout.FromHeader(header!.Value.Cells, header.Value.Line);
    }

    private static ImportRow Parse(string[] cells, int line, ImportLayout layout, int columnCount, CatalogSnapshot catalog)
    {
        if (cells.Length != columnCount)
            return new ImportRow(line, null, [new ImportError(line, "row", $"This row has {cells.Length} fields; the header has {columnCount}.")]);

        List<ImportError>? errors = null;
        string? Cell(ImportField field, bool trim = true)
        {
            if (!layout.Has(field)) return null;
            var cell = Unprotect(cells[layout[field]]);
            if (trim) cell = cell.Trim();
            return cell.Length == 0 ? null : cell;
        }
        void Fail(ImportField field, string message) => (errors ??= []).Add(new ImportError(line, field.Name(), message));

        var site = Cell(ImportField.Site);
        if (site is not null && catalog.FindSiteByIdOrPcode(site) is { } known) site = known.Id;

        double? value = null;
        if (Cell(ImportField.Value) is { } number)
        {
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) value = parsed;
            else Fail(ImportField.Value, $"'{Printable(number)}' is not a number; write it like 42.5, with '.' as the decimal point.");
        }

        DateTimeOffset? timestamp = null;
        if (Cell(ImportField.Timestamp) is not { } time) Fail(ImportField.Timestamp, "timestamp is required, in ISO 8601 (e.g. 2014-06-10T06:00:00Z).");
        else if (IsoDate().IsMatch(time)
                 && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            timestamp = at;
        else Fail(ImportField.Timestamp, $"'{Printable(time)}' is not an ISO 8601 time such as 2014-06-10T06:00:00Z.");

        if (errors is not null) return new ImportRow(line, null, errors);
        return new ImportRow(line, new ObservationInput(
            site, Cell(ImportField.Indicator), value, Cell(ImportField.State), timestamp,
            Cell(ImportField.Source, trim: false), Cell(ImportField.Note, trim: false)), []);
    }

    /// <summary>Text as a spreadsheet may show it: cells that start like a formula get a leading <c>'</c>.</summary>
    public static string Protect(string? text) =>
        string.IsNullOrEmpty(text) || !FormulaStarts.Contains(text[0]) ? text ?? "" : "'" + text;

    /// <summary>Undoes <see cref="Protect"/>, so an export imports as it was.</summary>
    public static string Unprotect(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && FormulaStarts.Contains(cell[1]) ? cell[1..] : cell;

    private static string Printable(string s) => new(s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.IgnoreCase)]
    private static partial Regex IsoDate();
}
