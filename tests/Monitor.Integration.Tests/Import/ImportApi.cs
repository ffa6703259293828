using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitor.Integration.Tests.Api;

namespace Monitor.Integration.Tests.Import;

/// <summary>The import and export endpoints as a client calls them.</summary>
public static class ImportApi
{
    public const string Header = "site,indicator,timestamp,value,state,source,note";

    public static Task<HttpResponseMessage> PostCsvAsync(this HttpClient client, string csv, string query = "", string contentType = "text/csv") =>
        client.PostCsvAsync(Encoding.UTF8.GetBytes(csv), query, contentType);

    public static Task<HttpResponseMessage> PostCsvAsync(this HttpClient client, byte[] csv, string query = "", string contentType = "text/csv")
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync("/api/observations/import" + query, content);
    }

    /// <summary>The answer's body, with the status expected of it (200, or 400 when an all-or-nothing import refused).</summary>
    public static async Task<ImportDto> ReadImportAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<ImportDto>(body, MonitorApi.Json)!;
    }

    /// <summary>Every row imported: the count, no rejections, no errors.</summary>
    public static void AssertImported(int rows, ImportDto answer)
    {
        Assert.Empty(answer.Errors);
        Assert.Equal((rows, 0), (answer.Imported, answer.Rejected));
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string ExportUrl(string query) => "/api/observations/export?format=csv&" + query;
}

public sealed record ImportDto(int Imported, int Rejected, List<ImportErrorDto> Errors);

public sealed record ImportErrorDto(int Line, string Field, string Message);
