using System.Net;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;
using static Monitor.Integration.Tests.Import.ImportApi;

namespace Monitor.Integration.Tests.Import;

/// <summary>The app with one dashboard of refinery and fuel panels, for exports of a dashboard's range, and P-codes for Mosul.</summary>
public sealed class ExportAppFactory : KestrelMonitorAppFactory
{
    public const string Dashboard = "north";
    public const string MosulPcode = "IQ-TEST-MOSUL";

    public ExportAppFactory()
    {
        TestScenario.Write(SeedDirectory, Sites.Select(s => s.Id == Mosul ? s with { Pcode = MosulPcode, RegionPcode = "IQG15" } : s));
        File.WriteAllText(Path.Combine(DashboardsDirectory, "north.json"), $$"""
        { "id": "{{Dashboard}}", "title": "North", "order": 1, "panels": [
          { "title": "Fuel", "indicator": "{{FuelStationsOpen}}", "view": "chart", "sites": ["{{Mosul}}", "{{Kirkuk}}"] },
          { "title": "Refinery", "indicator": "{{RefineryStatus}}", "view": "tiles", "sites": ["{{Baiji}}"] } ] }
        """);
    }
}

/// <summary><c>GET /api/observations/export</c>: raw readings as CSV with an HXL row, safe in a spreadsheet, importable again.</summary>
public sealed class ObservationExportTests(ExportAppFactory app) : IClassFixture<ExportAppFactory>, IDisposable
{
    private readonly HttpClient _reporter = ObservationImportTests.Client(app, ReporterKey);
    private readonly HttpClient _viewer = ObservationImportTests.Client(app, ViewerKey);

    public void Dispose()
    {
        _reporter.Dispose();
        _viewer.Dispose();
    }

    private static string Range(DateTimeOffset from, DateTimeOffset to) => $"from={Uri.EscapeDataString(Iso(from))}&to={Uri.EscapeDataString(Iso(to))}";

    [Fact]
    public async Task An_export_is_an_attachment_that_defuses_formulas_and_imports_back_unchanged()
    {
        var day = NewWindow();
        var csv = $"{Header}\n" +
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},40.25,,=SUM(A1:A9),\"+1 queue, \"\"long\"\"\"\n" +
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(2))},41,,@reporter,-5 litres\n" +
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(3))},0.1,,الموصل,\"\tindented\nطوابير\"\n";
        AssertImported(3, await (await _reporter.PostCsvAsync(csv)).ReadImportAsync());

        using var response = await _viewer.GetAsync(ExportUrl($"siteId={Mosul}&indicatorId={FuelStationsOpen}&{Range(day, day.AddDays(1))}"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(Header, lines[0]);
        Assert.Equal("#loc+code,#indicator+code,#date,#value,#status,#meta+source,#meta+note", lines[1]);
        Assert.Contains("'=SUM(A1:A9)", text);
        Assert.Contains("\"'+1 queue, \"\"long\"\"\"", text);
        Assert.Contains("'@reporter", text);
        Assert.Contains("'-5 litres", text);
        Assert.Contains("\"'\tindented", text);
        Assert.DoesNotContain(",=", text);

        // Every reading comes back identical (a different one would be a conflict), so the round trip lost nothing.
        AssertImported(3, await (await _reporter.PostCsvAsync(text)).ReadImportAsync());
        var points = await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day);
        Assert.Equal(["=SUM(A1:A9)", "@reporter", "الموصل"], points.Select(p => p.Source));
        Assert.Equal(["+1 queue, \"long\"", "-5 litres", "\tindented\nطوابير"], points.Select(p => p.Note));
    }

    [Fact]
    public async Task A_site_alone_exports_every_indicator_of_it_raw()
    {
        var text = await _viewer.GetStringAsync(ExportUrl($"siteId={Baiji}"));

        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.StartsWith($"{Baiji},{RefineryStatus},", r));
        Assert.Contains("2014-06-18T04:00:00.000Z,,offline,wire report,attacked overnight", text);
    }

    [Fact]
    public async Task A_dashboard_exports_its_panels_series_over_the_range()
    {
        var text = await _viewer.GetStringAsync(ExportUrl($"dashboard={ExportAppFactory.Dashboard}&{Range(SeedFrom, SeedTo)}"));

        var series = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Where(r => r.Contains(",2014-", StringComparison.Ordinal))
            .Select(r => string.Join(',', r.Split(',').Take(2))).Distinct().Order().ToArray();
        Assert.Equal([$"{Baiji},{RefineryStatus}", $"{Kirkuk},{FuelStationsOpen}", $"{Mosul},{FuelStationsOpen}"], series);
        Assert.DoesNotContain(TalAfar, text);
    }

    [Theory]
    [InlineData("", "siteId")]
    [InlineData("siteId=nowhere", "siteId")]
    [InlineData("siteId=mosul&indicatorId=refinery.status", "indicatorId")]
    [InlineData("siteId=mosul&dashboard=north", "dashboard")]
    [InlineData("siteId=mosul&from=yesterday", "from")]
    public async Task Bad_parameters_are_refused_naming_them(string query, string parameter)
    {
        using var response = await _viewer.GetAsync(ExportUrl(query));
        Assert.Equal([parameter], (await response.AssertValidationProblemAsync()).Keys);
    }

    [Fact]
    public async Task An_unknown_dashboard_is_404() =>
        await (await _viewer.GetAsync(ExportUrl("dashboard=nowhere"))).AssertProblemAsync(HttpStatusCode.NotFound);

    [Fact]
    public async Task Sites_show_their_P_codes_and_an_import_may_name_a_site_by_its_P_code()
    {
        var sites = System.Text.Json.Nodes.JsonNode.Parse(await _viewer.GetStringAsync("/api/sites"))!.AsArray();
        var mosul = sites.Single(s => s!["id"]!.GetValue<string>() == Mosul)!;
        Assert.Equal(ExportAppFactory.MosulPcode, mosul["pcode"]!.GetValue<string>());
        Assert.Equal("IQG15", mosul["regionPcode"]!.GetValue<string>());

        var day = NewWindow();
        AssertImported(1, await (await _reporter.PostCsvAsync($"{Header}\n{ExportAppFactory.MosulPcode.ToLowerInvariant()},{FuelStationsOpen},{Iso(day)},33,,,\n")).ReadImportAsync());
        Assert.Equal(33, Assert.Single(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Value);
    }

    [Fact]
    public async Task The_template_lists_the_catalog_and_imports_as_it_is()
    {
        var template = await _reporter.GetStringAsync("/api/observations/import/template");

        Assert.Contains($",{FuelStationsOpen},", template);
        Assert.Contains($"{Baiji},{RefineryStatus},", template);
        var answer = await (await _reporter.PostCsvAsync(template, "?dryRun=true")).ReadImportAsync();
        Assert.Equal((Indicators.Count, 0), (answer.Imported, answer.Rejected));
    }
}
