using System.Globalization;
using System.Text;

namespace Monitor.Web.Audit;

/// <summary>
/// Audit entries as CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas, quotes or line breaks quoted).
/// A cell a spreadsheet would take for a formula (starting with <c>= + - @</c>, tab or carriage return) is prefixed with
/// a single quote, so opening an export never runs what someone typed into a name or a note.
/// </summary>
public static class AuditCsv
{
    public const string Header = "At,Actor,Action,Target,Details,RemoteIp";

    public static async Task WriteAsync(IAsyncEnumerable<AuditEntry> entries, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Header + "\r\n");
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(entry));
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static string Line(AuditEntry entry) =>
        string.Join(',',
            Cell(entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            Cell(entry.Actor), Cell(entry.Action), Cell(entry.Target), Cell(entry.Details), Cell(entry.RemoteIp)) + "\r\n";

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
