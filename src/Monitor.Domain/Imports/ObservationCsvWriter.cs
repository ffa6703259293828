using System.Globalization;
using Monitor.Domain.Observations;
using nietras.SeparatedValues;

namespace Monitor.Domain.Imports;

/// <summary>
/// Writes observations as CSV that imports again: the header row, then the HXL hashtag row, then one raw reading per
/// row. Text cells that a spreadsheet would run as a formula are prefixed with <c>'</c>; import removes it.
/// </summary>
public sealed class ObservationCsvWriter : IDisposable
{
    private readonly SepWriter _writer;

    public ObservationCsvWriter(TextWriter text)
    {
        _writer = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(text, leaveOpen: true);
        using var hashtags = _writer.NewRow();
        foreach (var field in ImportFields.All) hashtags[field.Name()].Set(field.Hashtag());
    }

    public void Write(Observation o)
    {
        using var row = _writer.NewRow();
        row[ImportField.Site.Name()].Set(ObservationCsv.Protect(o.SiteId));
        row[ImportField.Indicator.Name()].Set(ObservationCsv.Protect(o.IndicatorId));
        row[ImportField.Timestamp.Name()].Set(o.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        row[ImportField.Value.Name()].Set(o.Value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "");
        row[ImportField.State.Name()].Set(ObservationCsv.Protect(o.State));
        row[ImportField.Source.Name()].Set(ObservationCsv.Protect(o.Source));
        row[ImportField.Note.Name()].Set(ObservationCsv.Protect(o.Note));
    }

    /// <summary>Hands what is written so far to the text writer.</summary>
    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}
