using System.Text;

namespace Monitor.Domain.Csv;

/// <summary>
/// RFC 4180 CSV: comma separated, fields optionally in double quotes, quotes doubled inside quoted fields,
/// line breaks allowed inside quoted fields. Returns each record with the line it starts on, for error messages.
/// </summary>
public static class CsvParser
{
    public static IEnumerable<CsvRecord> Parse(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldWasQuoted = false;
        var line = 1;
        var recordLine = 1;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = fieldWasQuoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    if (!(fields.Count == 1 && fields[0].Length == 0)) yield return new CsvRecord(recordLine, fields.ToArray());
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (inQuotes) throw new FormatException($"Line {recordLine}: a quoted field is not closed.");
        if (field.Length > 0 || fields.Count > 0 || fieldWasQuoted)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }
}

public sealed record CsvRecord(int Line, string[] Fields);
