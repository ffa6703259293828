using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Web.Security;

namespace Monitor.Web.Audit;

/// <summary>The audit trail for admins, as JSON or as a CSV download, with the same filters as the audit page.</summary>
public static class AuditApi
{
    public const string Path = "/api/audit";
    public const int MaxFilterLength = 256;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Path).RequireAuthorization(Policies.Admin).WithTags("Audit").WithNoStore();
        api.MapGet("/", GetEntries);
        api.MapGet("/verify", Verify);
        return app;
    }

    public static Results<Ok<IAsyncEnumerable<AuditEntry>>, PushStreamHttpResult, ValidationProblem> GetEntries(
        string? from, string? to, string? actor, string? action, string? text, string? format, AuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fromTime = QueryValues.ParseTime(from, "from", errors);
        var toTime = QueryValues.ParseTime(to, "to", errors);
        if (fromTime > toTime) errors["from"] = ["from must not be after to."];
        if (actor?.Length > MaxFilterLength) errors["actor"] = [$"actor must be at most {MaxFilterLength} characters."];
        if (text?.Length > MaxFilterLength) errors["text"] = [$"text must be at most {MaxFilterLength} characters."];
        if (!string.IsNullOrEmpty(action) && !AuditActionList.All.Contains(action, StringComparer.Ordinal))
            errors["action"] = [$"action '{action}' is unknown: use one of {string.Join(", ", AuditActionList.All)}."];
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !string.IsNullOrEmpty(format) && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            errors["format"] = ["format must be csv or json."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var query = new AuditQuery(fromTime, toTime, Blank(actor), Blank(action), Blank(text));
        if (!csv) return TypedResults.Ok(audit.ExportAsync(query));

        var fileName = $"audit-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return TypedResults.Stream(
            stream => AuditCsv.WriteAsync(audit.ExportAsync(query, cancellationToken), stream, cancellationToken),
            "text/csv; charset=utf-8", fileName);
    }

    /// <summary>Checks the hash chain of the whole trail; <c>intact: false</c> names the first entry whose link is broken.</summary>
    public static async Task<Ok<AuditVerification>> Verify(AuditLog audit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await audit.VerifyAsync(cancellationToken));

    /// <summary>The address of a CSV export with these filters, as the audit page links to it.</summary>
    public static string CsvUrl(AuditQuery query)
    {
        var parameters = new List<string> { "format=csv" };
        Add("from", query.From?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        Add("to", query.To?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        Add("actor", query.Actor);
        Add("action", query.Action);
        Add("text", query.Text);
        return Path + "?" + string.Join('&', parameters);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parameters.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
