using System.Globalization;

namespace Monitor.Web;

/// <summary>Reading query-string values the same way on every endpoint, with errors that name the parameter.</summary>
public static class QueryValues
{
    /// <summary>An ISO 8601 time, taken as UTC when it has no offset; null when absent, or when invalid (the error is added).</summary>
    public static DateTimeOffset? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t;
        errors[name] = [$"{name} must be an ISO 8601 date and time, e.g. 2014-06-10T00:00:00Z."];
        return null;
    }
}
