using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Monitor.Domain.Catalog;
using Monitor.Domain.Imports;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Dashboards;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Security;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace Monitor.Web.Observations.Import;

/// <summary>CSV in (with an optional HXL row) through the ingest pipeline, CSV with an HXL row out, and an import template.</summary>
public static class ObservationImportApi
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static IEndpointRouteBuilder MapObservationImportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observations").WithTags("Observations");
        api.MapPost("/import", Import).RequireAuthorization(Policies.Reporter)
            // The spool enforces the limit as it copies; the server's own limit must not stop the body first.
            .WithMetadata(new RequestSizeLimitAttribute(ImportSpool.MaxBytes + 1));
        api.MapGet("/import/template", Template).RequireAuthorization(Policies.Reporter);
        api.MapGet("/export", Export).RequireAuthorization(Policies.Viewer);
        return app;
    }

    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult, ValidationProblem>> Import(
        HttpRequest request, string? mode, string? dryRun, ObservationIngest ingest, CatalogService catalog, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var validOnly = false;
        if (mode is "valid") validOnly = true;
        else if (!string.IsNullOrEmpty(mode) && mode != "all") errors["mode"] = ["mode must be all or valid."];
        var dry = false;
        if (!string.IsNullOrEmpty(dryRun) && !bool.TryParse(dryRun, out dry)) errors["dryRun"] = ["dryRun must be true or false."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        if (!IsUtf8Csv(request.ContentType))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the file as UTF-8 CSV with Content-Type: text/csv.");
        if (request.ContentLength > ImportSpool.MaxBytes) return TooLarge();

        ImportSpool spool;
        try
        {
            spool = await ImportSpool.CopyAsync(request.Body, ImportSpool.MaxBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is ImportTooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return TooLarge();
        }

        await using (spool)
        {
            ImportResult result;
            try
            {
                result = await ingest.ImportAsync(() => spool.Rows(catalog.Current), new ImportMode(validOnly, dry),
                    Submitter.Of(request.HttpContext, "csv"), progress: null, cancellationToken);
            }
            catch (ImportFormatException ex)
            {
                return JsonBody.Problem(StatusCodes.Status400BadRequest, "The file cannot be read as observations; nothing was stored.",
                    new Dictionary<string, string[]> { [ex.Field] = [$"Line {ex.Line}: {ex.Message}"] });
            }
            catch (DecoderFallbackException)
            {
                return JsonBody.Problem(StatusCodes.Status400BadRequest, "The file is not UTF-8; nothing was stored.",
                    new Dictionary<string, string[]> { ["body"] = ["Save the file as UTF-8 CSV (in Excel: CSV UTF-8) and send it again."] });
            }

            var response = ImportResponse.From(result);
            if (!result.Refused) return TypedResults.Ok(response);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "The file was refused; nothing was stored.",
                detail: $"{result.Rejected:N0} rows have problems. Fix them, or import with mode=valid to store only the valid rows.",
                extensions: new Dictionary<string, object?>
                {
                    ["imported"] = response.Imported,
                    ["rejected"] = response.Rejected,
                    ["errors"] = response.Errors,
                });
        }
    }

    /// <summary>A CSV with the header, the HXL row and one example row per indicator, for the catalog as it is now.</summary>
    public static IResult Template(CatalogService catalog, TimeProvider time)
    {
        var snapshot = catalog.Current;
        var now = ObservationValidator.TruncateToMilliseconds(time.GetUtcNow());
        var text = new StringWriter();
        using (var writer = new ObservationCsvWriter(text))
        {
            foreach (var indicator in snapshot.Indicators)
            {
                if (snapshot.Sites.FirstOrDefault(indicator.AppliesTo) is not { } site) continue;
                writer.Write(new Observation(site.Id, indicator.Id, now,
                    indicator.Kind == IndicatorKind.Numeric ? indicator.Min ?? 0 : null,
                    indicator.Kind == IndicatorKind.State ? indicator.States.FirstOrDefault() : null, null, null));
            }
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), CsvContentType, "observations-template.csv");
    }

    public static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string? siteId, string? indicatorId, string? dashboard, string? from, string? to, string? format,
        CatalogService catalog, DashboardCatalog dashboards, ObservationExport export, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(format) && !string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)) errors["format"] = ["format must be csv."];
        var fromTime = QueryValues.ParseTime(from, "from", errors) ?? StorableTime.Earliest;
        var toTime = QueryValues.ParseTime(to, "to", errors) ?? time.GetUtcNow();
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && fromTime > toTime) errors["from"] = ["from must not be after to."];
        (fromTime, toTime) = (StorableTime.Clamp(fromTime), StorableTime.Clamp(toTime));

        IReadOnlyList<(string, string)>? panels = null;
        if (!string.IsNullOrEmpty(dashboard))
        {
            if (!string.IsNullOrEmpty(siteId) || !string.IsNullOrEmpty(indicatorId))
                errors["dashboard"] = ["Export either a dashboard or a site and/or indicator, not both."];
            else if (dashboards.Find(dashboard) is not { } definition)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown dashboard", detail: $"There is no dashboard with id '{dashboard}'.");
            else panels = [.. definition.Panels.SelectMany(p => p.Sites.Select(s => (s, p.Indicator)))];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var (series, field, error) = ObservationExport.Select(catalog.Current, siteId, indicatorId, panels);
        if (field is not null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error!] });

        var name = dashboard ?? string.Join("-", new[] { siteId, indicatorId }.Where(s => !string.IsNullOrEmpty(s)));
        var fileName = $"observations-{Safe(name)}-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return TypedResults.Stream(stream => export.WriteAsync(series, fromTime, toTime, stream, cancellationToken), CsvContentType, fileName);
    }

    /// <summary>The export's address for a site (all its indicators) or a dashboard over a range, as pages link to it.</summary>
    public static string ExportUrl(string? siteId = null, string? dashboard = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var query = new List<string> { "format=csv" };
        if (siteId is not null) query.Add("siteId=" + Uri.EscapeDataString(siteId));
        if (dashboard is not null) query.Add("dashboard=" + Uri.EscapeDataString(dashboard));
        if (from is { } f) query.Add("from=" + Uri.EscapeDataString(f.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        if (to is { } t) query.Add("to=" + Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        return "/api/observations/export?" + string.Join('&', query);
    }

    private static bool IsUtf8Csv(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
            detail: $"An import file may be at most {ImportSpool.MaxBytes / (1024 * 1024)} MB; split it into smaller files.");

    private static string Safe(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '-')]);
}

/// <summary>The answer to an import: rows stored (or that would be), rows rejected, and each problem by line.</summary>
public sealed record ImportResponse(int Imported, int Rejected, IReadOnlyList<ImportError> Errors)
{
    public static ImportResponse From(ImportResult result) => new(result.Imported, result.Rejected, result.Errors);
}
