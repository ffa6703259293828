using System.Net;
using System.Text.Json.Nodes;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

public sealed class ObservationQueryTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private const string FuelQuery = $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}";

    private readonly HttpClient _viewer = app.CreateClient(ViewerKey);
    private readonly HttpClient _reporter = app.CreateClient(ReporterKey);

    [Theory]
    [InlineData($"/api/observations?indicatorId={FuelStationsOpen}", "siteId")]
    [InlineData($"/api/observations?siteId=&indicatorId={FuelStationsOpen}", "siteId")]
    [InlineData($"/api/observations?siteId={Mosul}", "indicatorId")]
    [InlineData($"{FuelQuery}&from=abc", "from")]
    [InlineData($"{FuelQuery}&from=2014-13-45T00:00:00Z", "from")]
    [InlineData($"{FuelQuery}&to=yesterday", "to")]
    [InlineData($"{FuelQuery}&from=2014-06-20T00:00:00Z&to=2014-06-10T00:00:00Z", "from")]
    [InlineData($"{FuelQuery}&maxPoints=0", "maxPoints")]
    [InlineData($"{FuelQuery}&maxPoints=100001", "maxPoints")]
    [InlineData($"{FuelQuery}&maxPoints=abc", "maxPoints")]
    [InlineData($"{FuelQuery}&maxPoints=-5", "maxPoints")]
    [InlineData($"{FuelQuery}&maxPoints=1.5", "maxPoints")]
    [InlineData($"{FuelQuery}&maxPoints=99999999999", "maxPoints")]
    public async Task Invalid_query_parameter_is_400_naming_the_parameter(string url, string parameter)
    {
        using var response = await _viewer.GetAsync(url);

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal([parameter], errors.Keys);
        Assert.NotEmpty(errors[parameter][0]);
    }

    [Fact]
    public async Task Every_invalid_parameter_is_named_at_once()
    {
        using var response = await _viewer.GetAsync("/api/observations?from=x&to=y&maxPoints=0");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["from", "indicatorId", "maxPoints", "siteId", "to"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    public async Task Max_points_at_the_limits_is_accepted(int maxPoints)
    {
        var series = await _viewer.GetSeriesAsync(Mosul, FuelStationsOpen, SeedFrom, SeedTo, maxPoints);

        Assert.InRange(series.Points.Count, 1, maxPoints);
    }

    [Fact]
    public async Task Unknown_site_is_404_problem()
    {
        using var response = await _viewer.GetAsync($"/api/observations?siteId=atlantis&indicatorId={FuelStationsOpen}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_indicator_is_404_problem()
    {
        using var response = await _viewer.GetAsync($"/api/observations?siteId={Mosul}&indicatorId=fuel.unicorns");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("fuel.unicorns", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicator_that_does_not_apply_to_the_site_is_400_naming_the_indicator()
    {
        using var response = await _viewer.GetAsync($"/api/observations?siteId={Baiji}&indicatorId={FuelStationsOpen}");

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal(["indicatorId"], errors.Keys);
    }

    [Fact]
    public async Task Series_response_echoes_the_query_with_camel_case_fields()
    {
        using var response = await _viewer.GetAsync(MonitorApi.SeriesUrl(Mosul, FuelStationsOpen, SeedFrom, SeedTo));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(["from", "indicatorId", "points", "siteId", "to"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Mosul, body["siteId"]!.GetValue<string>());
        Assert.Equal(FuelStationsOpen, body["indicatorId"]!.GetValue<string>());
        Assert.Equal(SeedFrom, body["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(SeedTo, body["to"]!.GetValue<DateTimeOffset>());
        var point = body["points"]!.AsArray()[1]!.AsObject();
        Assert.Equal(["note", "source", "timestamp", "value"], point.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Seeded_readings_come_back_raw_with_source_and_note_oldest_first()
    {
        var series = await _viewer.GetSeriesAsync(Mosul, FuelStationsOpen, SeedFrom, SeedTo);

        Assert.Equal(
            [
                new PointDto(Utc(2014, 6, 9, 6), 80, null, null, null, null, "ministry report", null),
                new PointDto(Utc(2014, 6, 10, 6), 35, null, null, null, null, "field team, north", SeededNote),
                new PointDto(Utc(2014, 6, 11, 6), 12, null, null, null, null, null, null),
            ],
            series.Points);
    }

    [Fact]
    public async Task Range_bounds_are_inclusive()
    {
        var at = Utc(2014, 6, 10, 6);

        var series = await _viewer.GetSeriesAsync(Mosul, FuelStationsOpen, at, at);

        Assert.Equal(35, Assert.Single(series.Points).Value);
    }

    [Fact]
    public async Task Readings_outside_the_range_are_left_out()
    {
        var series = await _viewer.GetSeriesAsync(Mosul, FuelStationsOpen, Utc(2014, 6, 9, 7), Utc(2014, 6, 11, 5));

        Assert.Equal([35.0], series.Points.Select(p => p.Value));
    }

    [Fact]
    public async Task Numeric_series_longer_than_max_points_is_bucketed_on_the_server()
    {
        var day = NewWindow();
        var batch = Enumerable.Range(0, 48)
            .Select(i => new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = i, timestamp = day.AddMinutes(30 * i), source = "s", note = "n" })
            .ToArray<object>();
        await (await _reporter.PostObservationsAsync(batch)).AssertAcceptedAsync(48);

        var series = await _viewer.GetSeriesAsync(Kirkuk, FuelStationsOpen, day, day.AddDays(1), maxPoints: 7);

        Assert.InRange(series.Points.Count, 1, 7);
        Assert.Equal(48, series.Points.Sum(p => p.Count));
        Assert.Equal(0, series.Points[0].Min);
        Assert.Equal(47, series.Points[^1].Max);
        Assert.Equal(Enumerable.Range(0, 48).Average(), series.Points.Sum(p => p.Value!.Value * p.Count!.Value) / 48, precision: 9);
        Assert.All(series.Points, p =>
        {
            Assert.InRange(p.Value!.Value, p.Min!.Value, p.Max!.Value);
            Assert.Null(p.Source);
            Assert.Null(p.Note);
        });
        Assert.Equal(day, series.Points[0].Timestamp);
        Assert.Equal(series.Points.Select(p => p.Timestamp).Order(), series.Points.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task Series_that_fits_max_points_comes_back_raw()
    {
        var day = NewWindow();
        var batch = Enumerable.Range(0, 10)
            .Select(i => new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = i, timestamp = day.AddHours(i), source = $"s{i}", note = $"n{i}" })
            .ToArray<object>();
        await (await _reporter.PostObservationsAsync(batch)).AssertAcceptedAsync(10);

        var series = await _viewer.GetSeriesAsync(Kirkuk, FuelStationsOpen, day, day.AddDays(1), maxPoints: 10);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"s{i}"), series.Points.Select(p => p.Source));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"n{i}"), series.Points.Select(p => p.Note));
        Assert.All(series.Points, p => Assert.Null(p.Count));
    }

    [Fact]
    public async Task Reading_at_the_end_of_the_range_does_not_add_a_bucket_beyond_max_points()
    {
        var day = NewWindow();
        var batch = Enumerable.Range(0, 11)
            .Select(i => new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = i, timestamp = day.AddSeconds(i) })
            .ToArray<object>();
        await (await _reporter.PostObservationsAsync(batch)).AssertAcceptedAsync(11);

        var series = await _viewer.GetSeriesAsync(Kirkuk, FuelStationsOpen, day, day.AddSeconds(10), maxPoints: 10);

        Assert.Equal(10, series.Points.Count);
        Assert.Equal(11, series.Points.Sum(p => p.Count));
    }

    [Fact]
    public async Task State_series_bucket_holds_the_last_state()
    {
        var day = NewWindow();
        (int Hour, string State)[] readings = [(0, "operating"), (1, "reduced"), (2, "offline"), (7, "offline"), (8, "operating"), (9, "reduced")];
        var batch = readings
            .Select(r => new { siteId = Baiji, indicatorId = RefineryStatus, state = r.State, timestamp = day.AddHours(r.Hour) })
            .ToArray<object>();
        await (await _reporter.PostObservationsAsync(batch)).AssertAcceptedAsync(6);

        var series = await _viewer.GetSeriesAsync(Baiji, RefineryStatus, day, day.AddHours(12), maxPoints: 2);

        Assert.Equal(["offline", "reduced"], series.Points.Select(p => p.State));
        Assert.All(series.Points, p => Assert.Null(p.Value));
    }

    [Fact]
    public async Task Without_a_range_the_last_30_days_are_returned()
    {
        var recent = DateTimeOffset.UtcNow.AddDays(-2);
        await (await _reporter.PostObservationsAsync(
            new { siteId = Rawa, indicatorId = FuelStationsOpen, value = 5, timestamp = recent },
            new { siteId = Rawa, indicatorId = FuelStationsOpen, value = 6, timestamp = recent.AddDays(-40) })).AssertAcceptedAsync(2);

        using var response = await _viewer.GetAsync($"/api/observations?siteId={Rawa}&indicatorId={FuelStationsOpen}");
        var series = System.Text.Json.JsonSerializer.Deserialize<SeriesDto>(await response.Content.ReadAsStringAsync(), MonitorApi.Json)!;

        Assert.Equal([5.0], series.Points.Select(p => p.Value));
        Assert.Equal(TimeSpan.FromDays(30), series.To - series.From);
    }
}
