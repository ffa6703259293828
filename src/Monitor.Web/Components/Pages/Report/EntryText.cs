using System.Globalization;
using Microsoft.Extensions.Localization;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Resources;

namespace Monitor.Web.Components.Pages.Report;

/// <summary>
/// The forms' words for what the domain's validator and plausibility rules decide, so the forms and the API refuse the
/// same things while a reporter reads a sentence meant for a person, not a JSON field.
/// </summary>
public static class EntryText
{
    /// <summary>The field of a validator key: <c>[2].value</c> and <c>value</c> are both <c>value</c>.</summary>
    public static string Field(string key) => key.StartsWith('[') && key.IndexOf("].", StringComparison.Ordinal) is var end and > 0 ? key[(end + 2)..] : key;

    /// <summary>The item index of a validator key, or -1 for a key of the whole submission.</summary>
    public static int Index(string key) =>
        key.StartsWith('[') && int.TryParse(key.AsSpan(1, key.IndexOf(']') - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;

    public static string Error(
        IStringLocalizer<Strings> l, string field, IndicatorDefinition? indicator, DateTimeOffset? timestamp, DateTimeOffset now,
        DateTimeOffset floor, string domainMessage) => field switch
    {
        "siteId" => l["Report.Error.Site"],
        "indicatorId" => l["Report.Error.Indicator"],
        "value" when indicator is { Min: { } min, Max: { } max } =>
            l["Report.Error.Value", ReadingText.Value(min, null), ReadingText.Value(max, indicator.Unit)],
        "value" => l["Report.Error.Number"],
        "state" => l["Report.Error.State"],
        "timestamp" when timestamp is null => l["Report.Error.Time"],
        "timestamp" when timestamp > now => l["Report.Error.Future"],
        "timestamp" => l["Report.Error.BeforeFloor", ReadingText.Date(floor)],
        "reason" when domainMessage.Contains("required", StringComparison.Ordinal) => l["Report.Error.Reason"],
        _ => domainMessage,
    };

    public static string Warning(IStringLocalizer<Strings> l, PlausibilityWarning warning, IndicatorDefinition indicator) => warning.Concern switch
    {
        PlausibilityConcern.Jump => l["Report.Warning.Jump", Reading(l, warning.Latest, indicator), Plausibility.JumpFactor],
        PlausibilityConcern.Collapse => l["Report.Warning.Collapse", Reading(l, warning.Latest, indicator), l.Timestamp(warning.Latest.Timestamp)],
        _ => l["Report.Warning.Older", Reading(l, warning.Latest, indicator), l.Timestamp(warning.Latest.Timestamp)],
    };

    /// <summary>How a confirmed warning is kept in the batch's audit entry: plain, in one language, greppable.</summary>
    public static string Confirmation(PlausibilityWarning warning, Observation submitted) =>
        FormattableString.Invariant(
            $"{warning.Concern.ToString().ToLowerInvariant()} {submitted.SiteId}/{submitted.IndicatorId} at {submitted.Timestamp:yyyy-MM-dd'T'HH:mm'Z'} (latest {HistoryGuard.Describe(warning.Latest)} at {warning.Latest.Timestamp:yyyy-MM-dd'T'HH:mm'Z'})");

    public static string Reading(IStringLocalizer<Strings> l, Observation reading, IndicatorDefinition indicator) =>
        reading.Value is { } value ? ReadingText.Value(value, indicator.Unit) : l.State(reading.State ?? "");

    /// <summary>The value of a <c>datetime-local</c> input, read as UTC (the app shows every time in UTC).</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff"], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}
