using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Domain.Catalog;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Startup;

public sealed class SeedingTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("monitor-restart-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private sealed record Stored(string[] SiteIds, string[] SiteNames, int IndicatorCount, int ObservationCount, double? MosulOn10June);

    private static async Task<Stored> ReadEverythingAsync(MonitorAppFactory app)
    {
        using var client = app.CreateClient(ViewerKey);
        var sites = (await client.GetFromJsonAsync<JsonArray>("/api/sites"))!;
        var indicators = (await client.GetFromJsonAsync<JsonArray>("/api/indicators"))!;
        var count = 0;
        foreach (var site in Sites)
        {
            foreach (var indicator in Indicators.Where(i => i.AppliesTo(site)))
            {
                count += (await client.GetSeriesAsync(site.Id, indicator.Id, Utc(2000, 1, 1, 0), DateTimeOffset.UtcNow, 100_000)).Points.Count;
            }
        }
        var mosul = await client.GetSeriesAsync(Mosul, FuelStationsOpen, Utc(2014, 6, 10, 6), Utc(2014, 6, 10, 6));
        return new Stored(
            sites.Select(s => s!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray(),
            sites.Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray(),
            indicators.Count,
            count,
            mosul.Points.SingleOrDefault()?.Value);
    }

    [Fact]
    public async Task First_start_loads_the_whole_scenario()
    {
        await using var app = new MonitorAppFactory();

        var stored = await ReadEverythingAsync(app);

        Assert.Equal(Sites.Select(s => s.Id).Order(StringComparer.Ordinal), stored.SiteIds);
        Assert.Contains(TalAfarName, stored.SiteNames);
        Assert.Equal(Indicators.Count, stored.IndicatorCount);
        Assert.Equal(Observations.Count, stored.ObservationCount);
        Assert.Equal(35, stored.MosulOn10June);
    }

    [Fact]
    public async Task Starting_twice_on_the_same_data_directory_seeds_once()
    {
        Stored first;
        await using (var app = new MonitorAppFactory { DataDirectory = _dataDirectory })
        {
            first = await ReadEverythingAsync(app);
        }

        await using var again = new MonitorAppFactory { DataDirectory = _dataDirectory };
        var second = await ReadEverythingAsync(again);

        Assert.Equal(Observations.Count, first.ObservationCount);
        Assert.Equal(first, second with { SiteIds = first.SiteIds, SiteNames = first.SiteNames });
        Assert.Equal(first.SiteIds, second.SiteIds);
        Assert.Equal(first.SiteNames, second.SiteNames);
    }

    [Fact]
    public async Task Restart_keeps_what_was_stored_and_ignores_a_changed_scenario()
    {
        var posted = NewWindow();
        await using (var app = new MonitorAppFactory { DataDirectory = _dataDirectory })
        {
            using var reporter = app.CreateClient(ReporterKey);
            await (await reporter.PostObservationsAsync(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 3, timestamp = posted })).AssertAcceptedAsync(1);
        }

        await using var again = new MonitorAppFactory { DataDirectory = _dataDirectory };
        var haditha = new Site("haditha", "Haditha", "city", Anbar, "Iraq", 34.14, 42.38);
        Write(
            again.SeedDirectory,
            sites: [.. Sites, haditha],
            observations:
            [
                .. Observations.Select(o => o.SiteId == Mosul && o.Timestamp == Utc(2014, 6, 10, 6) ? o with { Value = 99 } : o),
                new(haditha.Id, FuelStationsOpen, Utc(2014, 6, 20, 0), 1, null, null, null),
                new(Kirkuk, FuelStationsOpen, Utc(2014, 6, 20, 0), 1, null, null, null),
            ]);
        var stored = await ReadEverythingAsync(again);
        using var viewer = again.CreateClient(ViewerKey);

        Assert.DoesNotContain("haditha", stored.SiteIds);
        Assert.Equal(Sites.Count, stored.SiteIds.Length);
        Assert.Equal(35, stored.MosulOn10June);
        Assert.Equal(Observations.Count + 1, stored.ObservationCount);
        Assert.Equal(3, Assert.Single(await viewer.GetDayAsync(Kirkuk, FuelStationsOpen, posted)).Value);
    }
}
