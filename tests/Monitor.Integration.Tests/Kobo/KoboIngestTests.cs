using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Integration.Tests.Ingest;
using Monitor.Web.Observations.Feed;
using static Monitor.Integration.Tests.Fixtures.TestScenario;
using static Monitor.Integration.Tests.Kobo.KoboAppFactory;

namespace Monitor.Integration.Tests.Kobo;

public sealed class KoboIngestTests(KoboAppFactory app) : IClassFixture<KoboAppFactory>
{
    private readonly HttpClient _client = app.CreateClient();
    private readonly HttpClient _reader = app.CreateClient(ViewerKey);

    private static async Task<JsonObject> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task Submission_becomes_one_batch_readable_through_the_api_and_announced_on_the_feed()
    {
        var day = NewWindow();
        var end = day.AddHours(6).AddMinutes(19).AddSeconds(44).AddMilliseconds(511);
        var recorder = new FeedRecorder();
        using var subscription = app.Services.GetRequiredService<ObservationFeed>().Subscribe(recorder.ReceiveAsync, name: "kobo test");

        using var response = await _client.PostKoboAsync(FuelSurvey, KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "tal_afar", end, "35", "Queue past the bridge"));

        var receipt = await AssertStatusAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(1, receipt["accepted"]!.GetValue<int>());
        Assert.False(receipt["duplicate"]!.GetValue<bool>());
        var sequence = receipt["sequence"]!.GetValue<long>();
        Assert.Equal(
            [new PointDto(end, 35, null, null, null, null, "KoboToolbox fuel station survey", "Queue past the bridge")],
            await _reader.GetDayAsync(TalAfar, FuelStationsOpen, day));
        var announced = await recorder.WaitUntilAsync(m => m.OfType<FeedBatch>().Any(b => b.Sequence == sequence), "the Kobo batch");
        var observation = Assert.Single(announced.OfType<FeedBatch>().Single(b => b.Sequence == sequence).Observations);
        Assert.Equal((TalAfar, FuelStationsOpen, 35.0), (observation.SiteId, observation.IndicatorId, observation.Value));
    }

    [Fact]
    public async Task Select_one_choices_become_states_and_the_answer_may_be_the_site_id()
    {
        var day = NewWindow();

        using var response = await _client.PostKoboAsync(BorderPost, KoboPayloads.BorderPost(KoboPayloads.NewUuid(), AlQaim, day.AddHours(8), "partial"));

        await AssertStatusAsync(response, HttpStatusCode.Accepted);
        var point = Assert.Single(await _reader.GetDayAsync(AlQaim, CrossingStatus, day));
        Assert.Equal("restricted", point.State);
    }

    [Fact]
    public async Task Resent_uuid_is_a_no_op_even_after_the_reading_was_corrected()
    {
        var day = NewWindow();
        var end = day.AddHours(7);
        var submission = KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "kirkuk", end, "60");
        using var first = await _client.PostKoboAsync(FuelSurvey, submission);
        var receipt = await AssertStatusAsync(first, HttpStatusCode.Accepted);
        using var correction = await app.CreateClient(ReporterKey).PostCorrectionAsync(
            new { siteId = Kirkuk, indicatorId = FuelStationsOpen, timestamp = end, value = 55, reason = "recount by phone" });
        Assert.Equal(HttpStatusCode.Accepted, correction.StatusCode);

        // Kobo retries a delivery whose answer it did not see: the same submission, byte for byte.
        using var resent = await _client.PostKoboAsync(FuelSurvey, submission);

        var again = await AssertStatusAsync(resent, HttpStatusCode.OK);
        Assert.True(again["duplicate"]!.GetValue<bool>());
        Assert.Equal(receipt["batchId"]!.GetValue<string>(), again["batchId"]!.GetValue<string>());
        Assert.Equal(55, Assert.Single(await _reader.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Value);
    }

    [Fact]
    public async Task The_key_may_come_as_the_X_Api_Key_header()
    {
        var day = NewWindow();
        using var response = await app.CreateClient(ReporterKey).PostKoboAsync(
            FuelSurvey, KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "rawa", day.AddHours(5), "12.5"), basicPassword: null);

        await AssertStatusAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(12.5, Assert.Single(await _reader.GetDayAsync(Rawa, FuelStationsOpen, day)).Value);
    }

    [Fact]
    public async Task Without_a_valid_reporter_key_nothing_is_stored()
    {
        var day = NewWindow();
        var submission = KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", day.AddHours(5), "40");

        using var none = await _client.PostKoboAsync(FuelSurvey, submission, basicPassword: null);
        using var wrong = await _client.PostKoboAsync(FuelSurvey, submission, basicPassword: "not-the-key");
        using var viewer = await _client.PostKoboAsync(FuelSurvey, submission, basicPassword: ViewerKey);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.Empty(await _reader.GetDayAsync(Mosul, FuelStationsOpen, day));
    }

    [Fact]
    public async Task Basic_auth_is_not_a_credential_anywhere_else()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, SeriesUrl(Mosul, FuelStationsOpen, SeedFrom, SeedTo));
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("kobo:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(ViewerKey)).ToArray()));

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string SeriesUrl(string site, string indicator, DateTimeOffset from, DateTimeOffset to) => MonitorApi.SeriesUrl(site, indicator, from, to);

    [Fact]
    public async Task Unknown_mapping_is_404_naming_the_mapping()
    {
        using var response = await _client.PostKoboAsync("no-such-form", KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", NewWindow(), "40"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-form", problem["errors"]!["mapping"]![0]!.GetValue<string>());
    }

    public static TheoryData<string, Func<DateTimeOffset, Dictionary<string, object?>>, string, string> BadSubmissions => new()
    {
        { "site field missing", d => Without(KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", d, "40"), "location/town"), FuelSurvey, "location/town" },
        { "unknown site choice", d => KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "najaf", d, "40"), FuelSurvey, "location/town" },
        { "unknown site id", d => KoboPayloads.BorderPost(KoboPayloads.NewUuid(), "trebil-crossing", d, "shut"), BorderPost, "post/crossing" },
        { "value out of range", d => KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", d, "150"), FuelSurvey, "stations/open_pct" },
        { "not a number", d => KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", d, "about half"), FuelSurvey, "stations/open_pct" },
        { "NaN", d => KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", d, "NaN"), FuelSurvey, "stations/open_pct" },
        { "unknown choice", d => KoboPayloads.BorderPost(KoboPayloads.NewUuid(), AlQaim, d, "unknown_status"), BorderPost, "post/status" },
        { "time in the future", d => KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", DateTimeOffset.UtcNow.AddDays(2), "40"), FuelSurvey, "end" },
        { "no uuid", d => Without(Without(KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", d, "40"), "_uuid"), "meta/instanceID"), FuelSurvey, "_uuid" },
        { "control character in the note", d => KoboPayloads.FuelSurvey(KoboPayloads.NewUuid(), "mosul", d, "40", "bell\u0007"), FuelSurvey, "comments" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task Bad_submission_is_400_naming_the_form_field_and_stores_nothing(
        string what, Func<DateTimeOffset, Dictionary<string, object?>> submission, string mapping, string field)
    {
        var day = NewWindow();

        using var response = await _client.PostKoboAsync(mapping, submission(day.AddHours(6)));

        var errors = await response.AssertValidationProblemAsync();
        Assert.True(errors.ContainsKey(field), $"{what}: expected an error for {field}, got {string.Join(", ", errors.Keys)}");
        Assert.Empty(await _reader.GetDayAsync(Mosul, FuelStationsOpen, day));
        Assert.Empty(await _reader.GetDayAsync(AlQaim, CrossingStatus, day));
    }

    [Fact]
    public async Task A_refused_submission_sent_again_after_its_fix_is_taken_in()
    {
        var day = NewWindow();
        var uuid = KoboPayloads.NewUuid();
        using var refused = await _client.PostKoboAsync(FuelSurvey, KoboPayloads.FuelSurvey(uuid, "mosul", day.AddHours(6), "150"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var fixedUp = await _client.PostKoboAsync(FuelSurvey, KoboPayloads.FuelSurvey(uuid, "mosul", day.AddHours(6), "15"));

        await AssertStatusAsync(fixedUp, HttpStatusCode.Accepted);
        Assert.Equal(15, Assert.Single(await _reader.GetDayAsync(Mosul, FuelStationsOpen, day)).Value);
    }

    private static Dictionary<string, object?> Without(Dictionary<string, object?> submission, string field)
    {
        submission.Remove(field);
        return submission;
    }
}
