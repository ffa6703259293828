using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

public sealed class ObservationPostTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private readonly HttpClient _reporter = app.CreateClient(ReporterKey);

    private static object Fuel(string siteId, DateTimeOffset timestamp, double value, string? source = null, string? note = null) =>
        new { siteId, indicatorId = FuelStationsOpen, value, timestamp, source, note };

    private static string Iso(DateTimeOffset t) => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private async Task AssertNothingStoredAsync(DateTimeOffset day)
    {
        foreach (var site in new[] { Mosul, TalAfar, Kirkuk, Rawa })
            Assert.Empty(await _reporter.GetDayAsync(site, FuelStationsOpen, day));
        Assert.Empty(await _reporter.GetDayAsync(Baiji, RefineryStatus, day));
        Assert.Empty(await _reporter.GetDayAsync(AlQaim, CrossingStatus, day));
    }

    [Fact]
    public async Task Accepted_batch_answers_202_with_its_size_and_is_readable_at_once()
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(
            Fuel(Mosul, day.AddHours(1), 41.5, "field team", "queues\tshort"),
            Fuel(Mosul, day.AddHours(2), 43),
            new { siteId = Baiji, indicatorId = RefineryStatus, state = "reduced", timestamp = day.AddHours(3), source = "wire" });

        await response.AssertAcceptedAsync(3);
        Assert.Equal(
            [
                new PointDto(day.AddHours(1), 41.5, null, null, null, null, "field team", "queues\tshort"),
                new PointDto(day.AddHours(2), 43, null, null, null, null, null, null),
            ],
            await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
        Assert.Equal(
            [new PointDto(day.AddHours(3), null, null, null, null, "reduced", "wire", null)],
            await _reporter.GetDayAsync(Baiji, RefineryStatus, day));
    }

    [Fact]
    public async Task Accepted_body_is_camel_case_accepted_count_and_batch_id()
    {
        using var response = await _reporter.PostObservationsAsync(Fuel(Kirkuk, NewWindow(), 1));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["accepted", "unchanged", "batchId", "sequence"], body.Select(p => p.Key));
        Assert.True(Guid.TryParse(body["batchId"]!.GetValue<string>(), out _));
    }

    [Fact]
    public async Task Batch_with_one_invalid_item_stores_nothing()
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(
            Fuel(Mosul, day.AddHours(1), 10),
            Fuel(Kirkuk, day.AddHours(1), 20),
            Fuel(TalAfar, day.AddHours(1), 150),
            new { siteId = Baiji, indicatorId = RefineryStatus, state = "offline", timestamp = day.AddHours(1) });

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[2].value"], errors.Keys);
        await AssertNothingStoredAsync(day);
    }

    [Fact]
    public async Task Errors_of_several_items_are_all_keyed_by_index_and_field()
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(
            new { siteId = "atlantis", indicatorId = FuelStationsOpen, value = 1, timestamp = day },
            Fuel(Mosul, day, 1),
            new { siteId = Baiji, indicatorId = FuelStationsOpen, value = 1, timestamp = day },
            new { siteId = AlQaim, indicatorId = CrossingStatus, state = "ajar", timestamp = day },
            new { siteId = Mosul, indicatorId = FuelStationsOpen, timestamp = day },
            Fuel(Kirkuk, day.AddYears(40), 1));

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].siteId", "[2].indicatorId", "[3].state", "[4].value", "[5].timestamp"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("atlantis", errors["[0].siteId"][0], StringComparison.Ordinal);
        await AssertNothingStoredAsync(day);
    }

    [Theory]
    [InlineData("[{\"siteId\":\"mosul\",")]
    [InlineData("not json at all")]
    [InlineData("[{\"siteId\":\"mosul\",\"indicatorId\":\"fuel.stations_open_pct\",\"value\":1,}]x")]
    [InlineData("[{'siteId':'mosul'}]")]
    [InlineData("\u0000\u0001")]
    public async Task Malformed_json_is_400_problem(string body)
    {
        using var response = await _reporter.PostRawAsync(body);

        await response.AssertValidationProblemAsync();
    }

    [Theory]
    [InlineData("] x")]
    [InlineData("]]")]
    [InlineData("],[]")]
    [InlineData("] {}")]
    public async Task Valid_batch_followed_by_more_than_whitespace_is_400_and_stores_nothing(string tail)
    {
        var day = NewWindow();
        var item = $$"""{"siteId":"{{Mosul}}","indicatorId":"{{FuelStationsOpen}}","value":12.5,"timestamp":"{{Iso(day.AddHours(1))}}"}""";

        using var response = await _reporter.PostRawAsync("[" + item + tail);

        await response.AssertValidationProblemAsync();
        await AssertNothingStoredAsync(day);
    }

    [Fact]
    public async Task Empty_body_is_400_problem()
    {
        using var response = await _reporter.PostRawAsync("");

        await response.AssertValidationProblemAsync();
    }

    [Theory]
    [InlineData("{\"siteId\":\"mosul\",\"indicatorId\":\"fuel.stations_open_pct\",\"value\":1}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"[]\"")]
    public async Task Body_that_is_not_a_non_empty_array_is_400_naming_the_body(string body)
    {
        using var response = await _reporter.PostRawAsync(body);

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["body"], errors.Keys);
    }

    [Theory]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":true}""", "[0].value")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":"abc"}""", "[0].value")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":"42"}""", "[0].value")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":{"amount":1}}""", "[0].value")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":[1]}""", "[0].value")]
    [InlineData("""{"siteId":5,"indicatorId":"fuel.stations_open_pct","value":1}""", "[0].siteId")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"last tuesday"}""", "[0].timestamp")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":1402000000}""", "[0].timestamp")]
    [InlineData("""{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"note":["a"]}""", "[0].note")]
    public async Task Wrong_field_type_is_400_naming_the_field(string item, string key)
    {
        using var response = await _reporter.PostRawAsync($"[{item}]");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal([key], errors.Keys);
    }

    [Fact]
    public async Task Item_that_is_not_an_object_is_400()
    {
        using var response = await _reporter.PostRawAsync("""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1}, 7]""");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[1]"], errors.Keys);
    }

    [Fact]
    public async Task Null_item_is_400_naming_its_index()
    {
        using var response = await _reporter.PostRawAsync("""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1}, null]""");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[1]"], errors.Keys);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("\"NaN\"")]
    [InlineData("Infinity")]
    [InlineData("\"-Infinity\"")]
    [InlineData("1e400")]
    public async Task Non_finite_value_is_400_and_stores_nothing(string literal)
    {
        var day = NewWindow();

        using var response = await _reporter.PostRawAsync(
            $$"""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":{{literal}},"timestamp":"{{Iso(day)}}"}]""");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].value"], errors.Keys);
        await AssertNothingStoredAsync(day);
    }

    [Fact]
    public async Task Batch_of_more_than_10000_items_is_refused_whole()
    {
        var day = NewWindow();
        var batch = Enumerable.Range(0, 10_001).Select(i => Fuel(Mosul, day.AddSeconds(i), 1)).ToArray();

        using var response = await _reporter.PostObservationsAsync(batch);

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["body"], errors.Keys);
        await AssertNothingStoredAsync(day);
    }

    [Fact]
    public async Task Batch_of_10000_items_is_accepted()
    {
        var day = NewWindow();
        var batch = Enumerable.Range(0, 10_000).Select(i => Fuel(Kirkuk, day.AddSeconds(i), i % 101)).ToArray();

        using var response = await _reporter.PostObservationsAsync(batch);

        await response.AssertAcceptedAsync(10_000);
        Assert.Equal(10_000, (await _reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Count);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\u0000")]
    [InlineData("escape\u001b[31m")]
    [InlineData("\r")]
    public async Task Control_characters_in_source_are_refused(string source)
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(Fuel(Mosul, day, 1, source: source));

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].source"], errors.Keys);
        await AssertNothingStoredAsync(day);
    }

    [Theory]
    [InlineData("nul\u0000")]
    [InlineData("bell\u0007")]
    [InlineData("escape\u001b[2J")]
    public async Task Control_characters_other_than_line_breaks_and_tabs_in_note_are_refused(string note)
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(Fuel(Mosul, day, 1, note: note));

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].note"], errors.Keys);
        await AssertNothingStoredAsync(day);
    }

    [Fact]
    public async Task Source_over_200_and_note_over_4000_characters_are_refused()
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(Fuel(Mosul, day, 1, new string('s', 201), new string('n', 4001)));

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].note", "[0].source"], errors.Keys.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> HostileText => new()
    {
        "x' OR '1'='1",
        "'; DROP TABLE observations; --",
        "\" OR \"\"=\"",
        "fuel,site=mosul value=1 1402000000",
        "mosul\\,region=Ninawa\\ value=0",
        "SELECT * FROM \"monitor\"..\"observations\" WHERE time > 0",
        "$siteId $from",
        "<script>alert(1)</script>",
        "{{7*7}} ${7*7} %s %n",
        "Tal \"Afar\", \\ = الموصل",
        "emoji 🛢️ and combining é",
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Injection_looking_text_is_stored_verbatim(string text)
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(Fuel(TalAfar, day, 7, source: text, note: text + "\n" + text));

        await response.AssertAcceptedAsync(1);
        var point = Assert.Single(await _reporter.GetDayAsync(TalAfar, FuelStationsOpen, day));
        Assert.Equal(text, point.Source);
        Assert.Equal(text + "\n" + text, point.Note);
    }

    [Theory]
    [InlineData("mosul' OR '1'='1")]
    [InlineData("mosul\"; DROP TABLE observations; --")]
    [InlineData("mosul\n")]
    public async Task Injection_looking_site_id_is_an_unknown_site(string siteId)
    {
        var day = NewWindow();

        using var response = await _reporter.PostObservationsAsync(new { siteId, indicatorId = FuelStationsOpen, value = 1, timestamp = day });

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].siteId"], errors.Keys);
        Assert.DoesNotContain(errors["[0].siteId"][0], char.IsControl);
        await AssertNothingStoredAsync(day);
    }

    [Fact]
    public async Task Note_may_hold_line_breaks_and_tabs()
    {
        var day = NewWindow();
        const string note = "first\nsecond\r\n\tindented";

        await (await _reporter.PostObservationsAsync(Fuel(Kirkuk, day, 3, note: note))).AssertAcceptedAsync(1);

        Assert.Equal(note, Assert.Single(await _reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Note);
    }

    [Fact]
    public async Task Timestamp_with_an_offset_is_stored_in_utc_to_the_millisecond()
    {
        var day = NewWindow();
        var stamped = $"{day:yyyy-MM-dd}T09:30:00.1239+03:00";

        await (await _reporter.PostRawAsync(
            $$"""[{"siteId":"kirkuk","indicatorId":"fuel.stations_open_pct","value":9,"timestamp":"{{stamped}}"}]""")).AssertAcceptedAsync(1);

        var point = Assert.Single(await _reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day));
        Assert.Equal(day.AddHours(6).AddMinutes(30).AddMilliseconds(123), point.Timestamp);
        Assert.Equal(TimeSpan.Zero, point.Timestamp.Offset);
    }

    [Fact]
    public async Task Timestamp_defaults_to_now()
    {
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);

        await (await _reporter.PostObservationsAsync(new { siteId = Rawa, indicatorId = FuelStationsOpen, value = 33 })).AssertAcceptedAsync(1);

        var after = DateTimeOffset.UtcNow;
        var series = await _reporter.GetSeriesAsync(Rawa, FuelStationsOpen, before, after.AddSeconds(1));
        Assert.InRange(Assert.Single(series.Points).Timestamp, before, after);
    }

    [Theory]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2104-06-10T00:00:00Z")]
    public async Task Timestamp_outside_the_accepted_window_is_refused(string timestamp)
    {
        using var response = await _reporter.PostRawAsync(
            $$"""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"timestamp":"{{timestamp}}"}]""");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].timestamp"], errors.Keys);
    }

    [Fact]
    public async Task Timestamp_ten_minutes_ahead_is_refused()
    {
        using var response = await _reporter.PostObservationsAsync(Fuel(Mosul, DateTimeOffset.UtcNow.AddMinutes(10), 1));

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["[0].timestamp"], errors.Keys);
    }

    [Fact]
    public async Task Stored_observation_is_announced_on_the_in_process_feed_with_its_region()
    {
        var day = NewWindow();
        var announced = new TaskCompletionSource<RecordedObservation>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<ObservationFeed>().Subscribe(message =>
        {
            if (message is FeedBatch batch) foreach (var o in batch.Observations.Where(o => o.Timestamp == day)) announced.TrySetResult(o);
            return Task.CompletedTask;
        });

        await (await _reporter.PostObservationsAsync(Fuel(TalAfar, day, 55, "radio", "note"))).AssertAcceptedAsync(1);

        var observation = await announced.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new RecordedObservation(TalAfar, Ninawa, FuelStationsOpen, day, 55, null, "radio", "note"), observation);
    }

    [Fact]
    public async Task Refused_batch_is_not_announced()
    {
        var day = NewWindow();
        var announced = new List<RecordedObservation>();
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<ObservationFeed>().Subscribe(message =>
        {
            if (message is not FeedBatch batch) return Task.CompletedTask;
            lock (announced) announced.AddRange(batch.Observations.Where(o => o.Timestamp >= day && o.Timestamp < day.AddDays(1)));
            if (batch.Observations.Any(o => o.Timestamp == day.AddHours(12))) marker.TrySetResult();
            return Task.CompletedTask;
        });

        using var refused = await _reporter.PostObservationsAsync(Fuel(Mosul, day, 1), Fuel(Mosul, day.AddHours(1), 101));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await (await _reporter.PostObservationsAsync(Fuel(Kirkuk, day.AddHours(12), 2))).AssertAcceptedAsync(1);
        await marker.Task.WaitAsync(TimeSpan.FromSeconds(5));

        lock (announced) Assert.Equal([Kirkuk], announced.Select(o => o.SiteId));
    }

    [Fact]
    public async Task Json_error_message_is_a_client_message()
    {
        using var response = await _reporter.PostRawAsync("[{\"siteId\":\"mosul\",\"value\":tru}]");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var text = problem.ToJsonString();
        Assert.DoesNotContain("System.Text.Json", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
