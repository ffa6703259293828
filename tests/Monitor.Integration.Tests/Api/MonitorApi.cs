using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monitor.Integration.Tests.Api;

/// <summary>The API as a client sees it: JSON in, JSON out, with the documented field names.</summary>
public static class MonitorApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostObservationsAsync(this HttpClient client, params object[] batch) =>
        client.PostAsJsonAsync("/api/observations", batch, Json);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string body) =>
        client.PostAsync("/api/observations", new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task AssertAcceptedAsync(this HttpResponseMessage response, int count)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {body}");
        Assert.Equal(count, JsonNode.Parse(body)!["accepted"]!.GetValue<int>());
    }

    public static string SeriesUrl(string siteId, string indicatorId, DateTimeOffset from, DateTimeOffset to, int? maxPoints = null) =>
        $"/api/observations?siteId={Uri.EscapeDataString(siteId)}&indicatorId={Uri.EscapeDataString(indicatorId)}" +
        $"&from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}" +
        $"&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}" +
        (maxPoints is null ? "" : $"&maxPoints={maxPoints}");

    public static async Task<SeriesDto> GetSeriesAsync(
        this HttpClient client, string siteId, string indicatorId, DateTimeOffset from, DateTimeOffset to, int? maxPoints = null)
    {
        using var response = await client.GetAsync(SeriesUrl(siteId, indicatorId, from, to, maxPoints));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<SeriesDto>(body, Json)!;
    }

    /// <summary>Points of one series in a day-long window: what a test wrote there, and nothing else.</summary>
    public static async Task<IReadOnlyList<PointDto>> GetDayAsync(this HttpClient client, string siteId, string indicatorId, DateTimeOffset day) =>
        (await client.GetSeriesAsync(siteId, indicatorId, day, day.AddDays(1), 100_000)).Points;

    /// <summary>Reads an RFC 9457 problem: its media type and its status member must agree with the response.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), "A problem needs a title.");
        return problem;
    }

    /// <summary>A 400 validation problem; returns its <c>errors</c> by key.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> AssertValidationProblemAsync(this HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject();
        Assert.NotNull(errors);
        return errors.ToDictionary(e => e.Key, e => e.Value!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
    }
}

public sealed record SeriesDto(string SiteId, string IndicatorId, DateTimeOffset From, DateTimeOffset To, List<PointDto> Points);

public sealed record PointDto(
    DateTimeOffset Timestamp, double? Value, double? Min, double? Max, int? Count, string? State, string? Source, string? Note);

/// <summary>Corrections, history and latest readings as a client calls them.</summary>
public static class HistoryApi
{
    public static Task<HttpResponseMessage> PostCorrectionAsync(this HttpClient client, object correction) =>
        client.PostAsJsonAsync("/api/observations/corrections", correction, MonitorApi.Json);

    public static async Task<IReadOnlyList<VersionDto>> GetHistoryAsync(this HttpClient client, string siteId, string indicatorId, DateTimeOffset at)
    {
        using var response = await client.GetAsync(
            $"/api/observations/history?siteId={Uri.EscapeDataString(siteId)}&indicatorId={Uri.EscapeDataString(indicatorId)}" +
            $"&timestamp={Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture))}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<List<VersionDto>>(body, MonitorApi.Json)!;
    }

    public static async Task<IReadOnlyList<LatestDto>> GetLatestAsync(this HttpClient client, string siteId)
    {
        using var response = await client.GetAsync($"/api/sites/{Uri.EscapeDataString(siteId)}/latest");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<List<LatestDto>>(body, MonitorApi.Json)!;
    }

    /// <summary>The <c>sequence</c> of a 202 answer.</summary>
    public static async Task<long> AcceptedSequenceAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["sequence"]!.GetValue<long>();
    }
}

public sealed record VersionDto(
    double? Value, string? State, string? Source, string? Note, DateTimeOffset? RecordedAt, string? RecordedBy, string? Reason, bool Voided, long Sequence);

public sealed record LatestDto(
    string SiteId, string IndicatorId, DateTimeOffset Timestamp, double? Value, string? State, string? Source, string? Note, string Freshness);
