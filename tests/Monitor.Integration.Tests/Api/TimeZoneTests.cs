using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTimeZoneCollection
{
    /// <summary>Tests that change the process's local time zone; they run alone so no other test sees it.</summary>
    public const string Name = "Process time zone";
}

/// <summary>
/// Tests run with the process in Baghdad's time zone (three hours ahead of UTC), restored afterwards. Each test class
/// names <see cref="ProcessTimeZoneCollection"/> itself, so no other test runs meanwhile.
/// </summary>
public abstract class InBaghdadTimeZone : IDisposable
{
    private readonly string? _originalTz = Environment.GetEnvironmentVariable("TZ");

    protected InBaghdadTimeZone()
    {
        Environment.SetEnvironmentVariable("TZ", "Asia/Baghdad");
        TimeZoneInfo.ClearCachedData();
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TZ", _originalTz);
        TimeZoneInfo.ClearCachedData();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Timestamps are UTC whatever the server's local time zone: a timestamp without an offset means UTC.</summary>
[Collection(ProcessTimeZoneCollection.Name)]
public sealed class TimeZoneTests : InBaghdadTimeZone
{

    [Fact]
    public async Task Timestamp_without_an_offset_is_utc_on_a_server_in_another_time_zone()
    {
        Assert.Equal(TimeSpan.FromHours(3), TimeZoneInfo.Local.BaseUtcOffset);
        await using var app = new MonitorAppFactory();
        using var reporter = app.CreateClient(ReporterKey);
        var day = NewWindow();

        await (await reporter.PostRawAsync($$"""
            [
              {"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":8,"timestamp":"{{day:yyyy-MM-dd}}T06:00:00"},
              {"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":9,"timestamp":"{{day:yyyy-MM-dd}}T07:00:00Z"},
              {"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":10,"timestamp":"{{day:yyyy-MM-dd}}T11:00:00+03:00"}
            ]
            """)).AssertAcceptedAsync(3);

        var points = await reporter.GetDayAsync(Mosul, FuelStationsOpen, day);
        Assert.Equal([day.AddHours(6), day.AddHours(7), day.AddHours(8)], points.Select(p => p.Timestamp));
        Assert.Equal([8.0, 9, 10], points.Select(p => p.Value));
        using var sameQuery = await reporter.GetAsync(
            $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}&from={day:yyyy-MM-dd}T06:00:00&to={day:yyyy-MM-dd}T06:00:00");
        Assert.Contains("\"value\":8", await sameQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
