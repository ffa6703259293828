using System.Text.Json;

namespace Monitor.AlertListener;

/// <summary>
/// One <c>AlertChanged</c> message: the fields the listener works with, beside the JSON exactly as it arrived (which
/// <c>--json</c> prints, so fields the server adds later reach the reader unchanged).
/// </summary>
public sealed record AlertChange(
    Guid Id,
    long Sequence,
    string SiteId,
    string? SiteName,
    string Region,
    string Severity,
    string Status,
    string Message,
    DateTimeOffset At,
    string? AcknowledgedBy,
    string Json)
{
    /// <summary>Reads a pushed alert; a message without an id, a sequence or a site is refused, since it cannot be tracked.</summary>
    public static AlertChange Read(JsonElement alert)
    {
        if (alert.ValueKind != JsonValueKind.Object) throw new FormatException($"An alert is a JSON object, not {alert.ValueKind}.");
        var startedAt = Time(alert, "startedAt") ?? DateTimeOffset.MinValue;
        var at = new[] { startedAt, Time(alert, "firedAt"), Time(alert, "resolvedAt"), Time(alert, "acknowledgedAt") }.Max() ?? startedAt;
        return new AlertChange(
            alert.TryGetProperty("id", out var id) && id.TryGetGuid(out var guid) ? guid : throw new FormatException("An alert without an id."),
            alert.TryGetProperty("sequence", out var sequence) && sequence.TryGetInt64(out var number) ? number : throw new FormatException("An alert without a sequence."),
            Text(alert, "siteId") ?? throw new FormatException("An alert without a siteId."),
            Text(alert, "siteName"),
            Text(alert, "region") ?? "",
            Text(alert, "severity") ?? "",
            Text(alert, "status") ?? "",
            Text(alert, "message") ?? "",
            at,
            Text(alert, "acknowledgedBy"),
            alert.GetRawText());
    }

    private static string? Text(JsonElement alert, string name) =>
        alert.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement alert, string name) =>
        alert.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;
}
