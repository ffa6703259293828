using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

/// <summary>The body limit is the server's: checked on real Kestrel, where it is enforced while the body streams in.</summary>
public sealed class RequestSizeTests(KestrelMonitorAppFactory app) : IClassFixture<KestrelMonitorAppFactory>
{
    private readonly HttpClient _reporter = app.CreateClient(ReporterKey);

    private static string Iso(DateTimeOffset t) => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Body_over_8_MB_is_413_problem_and_stores_nothing()
    {
        var day = NewWindow();
        var note = new string('n', 9 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/observations")
        {
            Content = new StringContent(
                $$"""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"{{Iso(day)}}","note":"{{note}}"}]""",
                Encoding.UTF8, "application/json"),
        };
        // A client that sends a large body announces it, so the refusal can come before the upload. It waits for the
        // answer however slow the machine: sending the body after a second's wait would race the server's 413 and close.
        request.Headers.ExpectContinue = true;
        using var patient = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = app.ServerAddress };
        patient.DefaultRequestHeaders.Add("X-Api-Key", ReporterKey);

        using var response = await patient.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
    }

    [Fact]
    public async Task Body_over_8_MB_without_a_length_is_413_problem_and_stores_nothing()
    {
        var day = NewWindow();
        var body = Encoding.UTF8.GetBytes(
            $$"""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"{{Iso(day)}}","note":"{{new string('n', 9 * 1024 * 1024)}}"}]""");
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/observations") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _reporter.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
    }

    [Fact]
    public async Task Body_just_under_8_MB_is_read_and_validated()
    {
        var note = new string('n', 8 * 1024 * 1024 - 200);

        using var response = await _reporter.PostRawAsync(
            $$"""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"note":"{{note}}"}]""");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].note"], errors.Keys);
    }
}
