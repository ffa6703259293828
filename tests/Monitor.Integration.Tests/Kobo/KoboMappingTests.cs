using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Kobo;

namespace Monitor.Integration.Tests.Kobo;

/// <summary>A mapping that cannot be used stops the start with a message naming the file and the field.</summary>
public sealed class KoboMappingTests
{
    [Theory]
    [InlineData("""{ "site": "town", "questions": [ { "field": "fuel/open", "indicator": "fuel.open_stations" } ] }""",
        "questions[0].indicator: unknown indicator 'fuel.open_stations'")]
    [InlineData("""{ "site": "post", "questions": [ { "field": "status", "indicator": "crossing.status", "choices": { "shut": "sealed" } } ] }""",
        "questions[0].choices.shut: 'sealed' is not a state of 'crossing.status'")]
    [InlineData("""{ "site": "post", "questions": [ { "field": "status", "indicator": "crossing.status" } ] }""",
        "questions[0].choices: map the choices of 'status'")]
    [InlineData("""{ "questions": [ { "field": "open", "indicator": "fuel.stations_open_pct" } ] }""", "site: name the form field")]
    [InlineData("""{ "site": "town", "siteChoices": { "najaf": "najaf" }, "questions": [ { "field": "open", "indicator": "fuel.stations_open_pct" } ] }""",
        "siteChoices.najaf: unknown site 'najaf'")]
    [InlineData("""{ "site": "town", "questions": [ { "field": "open", "indicator": "fuel.stations_open_pct" }, ]""", "broken.json is not valid")]
    public void Invalid_mapping_stops_the_start_naming_file_and_field(string json, string expected)
    {
        using var app = new MonitorAppFactory();
        KoboAppFactory.WriteMapping(app.SeedDirectory, "broken", json);

        var error = Assert.ThrowsAny<Exception>(() => app.Services.GetRequiredService<CatalogService>());

        var invalid = Assert.IsType<InvalidDataException>(Innermost(error, e => e is InvalidDataException));
        Assert.Contains("broken.json", invalid.Message);
        Assert.Contains(expected, invalid.Message);
    }

    [Fact]
    public async Task The_shipped_fuel_station_survey_fits_the_shipped_catalog()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "seed-data");
        var sites = await ScenarioFiles.ReadSitesAsync(seed, CancellationToken.None);
        var indicators = await ScenarioFiles.ReadIndicatorsAsync(seed, CancellationToken.None);
        var mappings = new KoboMappings(Microsoft.Extensions.Logging.Abstractions.NullLogger<KoboMappings>.Instance);

        mappings.Load(Path.Combine(seed, "kobo"), new Monitor.Domain.Catalog.CatalogSnapshot(sites, indicators));

        Assert.NotNull(mappings.Find("fuel-station-survey"));
    }

    private static Exception Innermost(Exception error, Func<Exception, bool> match)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (match(e)) return e;
        if (error is AggregateException aggregate)
            foreach (var inner in aggregate.Flatten().InnerExceptions)
                if (match(inner)) return inner;
        return error;
    }
}
