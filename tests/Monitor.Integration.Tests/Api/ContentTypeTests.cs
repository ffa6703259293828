using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

/// <summary>The app with a Reporter key and a signed-in Reporter's browser session.</summary>
public sealed class ContentTypeFixture : IAsyncLifetime
{
    public MonitorAppFactory App { get; } = new();

    public HttpClient KeyClient { get; private set; } = default!;

    public HttpClient CookieClient { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        KeyClient = App.CreateClient(ReporterKey);
        CookieClient = await App.SignedInClientAsync(await App.CreateUserAsync(Role.Reporter));
    }

    public async Task DisposeAsync()
    {
        KeyClient.Dispose();
        CookieClient.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>
/// Write endpoints take JSON only: a cross-site HTML form can send <c>text/plain</c>, form or multipart bodies with a
/// signed-in user's cookie, and none of them may be read as a batch or a correction.
/// </summary>
public sealed class ContentTypeTests(ContentTypeFixture fixture) : IClassFixture<ContentTypeFixture>
{
    public enum Credential
    {
        ApiKey,
        Cookie,
    }

    private const string Observations = "/api/observations";
    private const string Corrections = "/api/observations/corrections";
    private const string NoContentType = "none";

    public static TheoryData<string, Credential> Refused => Cases(
        "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data", NoContentType);

    public static TheoryData<string, Credential> Accepted => Cases("application/json; charset=utf-8", "application/vnd.monitor+json");

    private static TheoryData<string, Credential> Cases(params string[] contentTypes)
    {
        var data = new TheoryData<string, Credential>();
        foreach (var contentType in contentTypes)
        foreach (var credential in Enum.GetValues<Credential>())
            data.Add(contentType, credential);
        return data;
    }

    private HttpClient Client(Credential credential) => credential == Credential.ApiKey ? fixture.KeyClient : fixture.CookieClient;

    private static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A well-formed JSON body sent as <paramref name="contentType"/>: only the media type can refuse it.</summary>
    private static HttpContent Body(string json, string contentType)
    {
        switch (contentType)
        {
            case NoContentType:
                return new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            case "multipart/form-data":
                return new MultipartFormDataContent { { new StringContent(json, Encoding.UTF8), "body" } };
            default:
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                return content;
        }
    }

    private static string Batch(DateTimeOffset at, double value) =>
        JsonSerializer.Serialize(new[] { new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value, timestamp = at } }, MonitorApi.Json);

    private static string Correction(DateTimeOffset at, double value) =>
        JsonSerializer.Serialize(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, timestamp = at, value, reason = "misread gauge" }, MonitorApi.Json);

    private async Task<HttpResponseMessage> PostAsync(Credential credential, string path, string json, string contentType)
    {
        using var content = Body(json, contentType);
        if (contentType == NoContentType) Assert.Null(content.Headers.ContentType);
        return await Client(credential).PostAsync(path, content);
    }

    private async Task<IReadOnlyList<PointDto>> DayAsync(DateTimeOffset day) => await fixture.KeyClient.GetDayAsync(Kirkuk, FuelStationsOpen, day);

    private async Task<int> VersionsAsync(DateTimeOffset at)
    {
        using var response = await fixture.KeyClient.GetAsync(
            $"/api/observations/history?siteId={Kirkuk}&indicatorId={FuelStationsOpen}&timestamp={Uri.EscapeDataString(Iso(at))}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetArrayLength();
    }

    /// <summary>One reading recorded through the API with a key, for a correction to target.</summary>
    private async Task<DateTimeOffset> RecordedReadingAsync(double value)
    {
        var at = NewWindow().AddHours(6);
        using var content = Body(Batch(at, value), "application/json");
        using var response = await fixture.KeyClient.PostAsync(Observations, content);
        await response.AssertAcceptedAsync(1);
        return at;
    }

    private static async Task AssertUnsupportedMediaTypeAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Batch_that_is_not_sent_as_json_is_415_problem_and_stores_nothing(string contentType, Credential credential)
    {
        var day = NewWindow();

        using var response = await PostAsync(credential, Observations, Batch(day.AddHours(1), 42), contentType);

        await AssertUnsupportedMediaTypeAsync(response);
        Assert.Empty(await DayAsync(day));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Batch_sent_as_json_with_parameters_or_a_json_suffix_is_accepted_and_stored(string contentType, Credential credential)
    {
        var day = NewWindow();

        using var response = await PostAsync(credential, Observations, Batch(day.AddHours(1), 42), contentType);

        await response.AssertAcceptedAsync(1);
        Assert.Equal(42, Assert.Single(await DayAsync(day)).Value);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Correction_that_is_not_sent_as_json_is_415_problem_and_changes_nothing(string contentType, Credential credential)
    {
        var at = await RecordedReadingAsync(60);

        using var response = await PostAsync(credential, Corrections, Correction(at, 6), contentType);

        await AssertUnsupportedMediaTypeAsync(response);
        Assert.Equal(60, Assert.Single(await DayAsync(at.AddHours(-6))).Value);
        Assert.Equal(1, await VersionsAsync(at));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Correction_sent_as_json_with_parameters_or_a_json_suffix_is_applied(string contentType, Credential credential)
    {
        var at = await RecordedReadingAsync(60);

        using var response = await PostAsync(credential, Corrections, Correction(at, 6), contentType);

        await response.AssertAcceptedAsync(1);
        Assert.Equal(6, Assert.Single(await DayAsync(at.AddHours(-6))).Value);
        Assert.Equal(2, await VersionsAsync(at));
    }
}
