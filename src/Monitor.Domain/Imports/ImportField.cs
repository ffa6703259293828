namespace Monitor.Domain.Imports;

/// <summary>The columns of an observation CSV, named as in its header (<c>site,indicator,timestamp,value,state,source,note</c>).</summary>
public enum ImportField
{
    Site,
    Indicator,
    Timestamp,
    Value,
    State,
    Source,
    Note,
}

public static class ImportFields
{
    public static readonly IReadOnlyList<ImportField> All = Enum.GetValues<ImportField>();

    /// <summary>The header name of a column, as errors name it.</summary>
    public static string Name(this ImportField field) => field switch
    {
        ImportField.Site => "site",
        ImportField.Indicator => "indicator",
        ImportField.Timestamp => "timestamp",
        ImportField.Value => "value",
        ImportField.State => "state",
        ImportField.Source => "source",
        ImportField.Note => "note",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>The HXL hashtag export writes for a column (import also accepts <c>#adm1+code</c> for the site).</summary>
    public static string Hashtag(this ImportField field) => field switch
    {
        ImportField.Site => "#loc+code",
        ImportField.Indicator => "#indicator+code",
        ImportField.Timestamp => "#date",
        ImportField.Value => "#value",
        ImportField.State => "#status",
        ImportField.Source => "#meta+source",
        ImportField.Note => "#meta+note",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}

/// <summary>One problem with one row: the physical line the row starts on (the header is line 1) and the column at fault.</summary>
public sealed record ImportError(int Line, string Field, string Message);

/// <summary>The file cannot be read as observations at all (no usable header, a column missing, not UTF-8).</summary>
public sealed class ImportFormatException(int line, string field, string message) : Exception(message)
{
    public int Line { get; } = line;
    public string Field { get; } = field;
}
