using System.Net;
using System.Text;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;
using static Monitor.Integration.Tests.Import.ImportApi;

namespace Monitor.Integration.Tests.Import;

/// <summary><c>POST /api/observations/import</c> on a real Kestrel socket and the embedded store.</summary>
public sealed class ObservationImportTests(KestrelMonitorAppFactory app) : IClassFixture<KestrelMonitorAppFactory>, IDisposable
{
    private readonly HttpClient _reporter = Client(app, ReporterKey);

    internal static HttpClient Client(KestrelMonitorAppFactory app, string key)
    {
        var client = new HttpClient { BaseAddress = app.ServerAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public void Dispose() => _reporter.Dispose();

    [Fact]
    public async Task Quoted_commas_quotes_line_breaks_and_Arabic_are_stored_as_written_and_audited()
    {
        var day = NewWindow();
        var csv = $"{Header}\r\n" +
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},41.5,,\"OCHA, Erbil\",\"Queue \"\"2 km\"\"\r\nطوابير طويلة في الموصل\"\r\n" +
                  $"{Baiji},{RefineryStatus},{Iso(day.AddHours(2))},,reduced,wire,\r\n";

        using var response = await _reporter.PostCsvAsync(csv);

        AssertImported(2, await response.ReadImportAsync());
        Assert.Equal([new PointDto(day.AddHours(1), 41.5, null, null, null, null, "OCHA, Erbil", "Queue \"2 km\"\r\nطوابير طويلة في الموصل")],
            await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
        Assert.Equal([new PointDto(day.AddHours(2), null, null, null, null, "reduced", "wire", null)], await _reporter.GetDayAsync(Baiji, RefineryStatus, day));

        using var admin = Client(app, AdminKey);
        var audit = await admin.GetStringAsync("/api/audit?action=observations.submitted");
        Assert.Contains("channel=csv", audit);
    }

    [Fact]
    public async Task Errors_name_the_physical_line_and_column_and_an_all_or_nothing_import_stores_nothing()
    {
        var day = NewWindow();
        var csv = $"{Header}\n" +
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},40,,,\"a note\non three\nlines\"\n" +   // lines 2-4
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(2))},NaN,,,\n" +                             // line 5
                  $"{Kirkuk},{FuelStationsOpen},{Iso(day.AddHours(3))},250,,,\n" +                            // line 6
                  $"{Baiji},{RefineryStatus},{Iso(day.AddHours(4))},,burning,,\n" +                           // line 7
                  $"nowhere,{FuelStationsOpen},{Iso(day.AddHours(5))},1,,,\n" +                               // line 8
                  $"{Mosul},{FuelStationsOpen},{Iso(DateTimeOffset.UtcNow.AddDays(2))},1,,,\n" +              // line 9
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(6))},1,,\"line\nbreak\",\n" +                // lines 10-11
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(7))},1,,\"tab\tin source\",\n" +             // line 12
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(8))},1,,,\"bell\a\"\n" +                     // line 13
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(9))},1,open,,\n" +                           // line 14
                  $"{Mosul},{FuelStationsOpen},yesterday,1,,,\n";                                             // line 15

        using var response = await _reporter.PostCsvAsync(csv);

        var answer = await response.ReadImportAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, answer.Imported);
        Assert.Equal(10, answer.Rejected);
        Assert.Equal(
            [(5, "value"), (6, "value"), (7, "state"), (8, "site"), (9, "timestamp"), (10, "source"), (12, "source"), (13, "note"), (14, "state"), (15, "timestamp")],
            answer.Errors.Select(e => (e.Line, e.Field)).Order());
        Assert.Contains("finite", answer.Errors.Single(e => e.Line == 5).Message);
        Assert.Empty(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
        Assert.Empty(await _reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day));
    }

    [Fact]
    public async Task Mode_valid_stores_the_valid_rows_and_reports_the_others()
    {
        var day = NewWindow();
        var csv = $"{Header}\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},40,,,\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(2))},x,,,\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(3))},42,,,\n";

        using var response = await _reporter.PostCsvAsync(csv, "?mode=valid");

        var answer = await response.ReadImportAsync();
        Assert.Equal((2, 1), (answer.Imported, answer.Rejected));
        Assert.Equal(3, Assert.Single(answer.Errors).Line);
        Assert.Equal([40.0, 42.0], (await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value!.Value));
    }

    [Theory]
    [InlineData("?dryRun=true")]
    [InlineData("?mode=valid&dryRun=true")]
    public async Task A_dry_run_answers_as_the_import_would_and_stores_nothing(string query)
    {
        var day = NewWindow();
        var csv = $"{Header}\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},40,,,\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(2))},41,,,\n";

        using var response = await _reporter.PostCsvAsync(csv, query);

        AssertImported(2, await response.ReadImportAsync());
        Assert.Empty(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day));
    }

    [Fact]
    public async Task A_dry_run_of_a_refused_file_answers_400_like_the_import()
    {
        var day = NewWindow();
        using var response = await _reporter.PostCsvAsync($"{Header}\n{Mosul},{FuelStationsOpen},{Iso(day)},x,,,\n", "?dryRun=true");
        Assert.Equal(1, (await response.ReadImportAsync(HttpStatusCode.BadRequest)).Rejected);
    }

    [Fact]
    public async Task An_HXL_row_may_follow_the_header_or_replace_it_and_sites_may_be_named_by_P_code()
    {
        var day = NewWindow();
        var after = "Date,Governorate,Place,What,Reading\n#date,#adm1+name,#loc+code,#indicator+code,#value\n" +
                    $"{Iso(day.AddHours(1))},Ninawa,{Mosul},{FuelStationsOpen},30\n";
        var instead = $"#indicator+code,#loc+code,#date,#status,#meta+source\n{CrossingStatus},{AlQaim},{Iso(day.AddHours(2))},closed,OCHA\n";

        AssertImported(1, await (await _reporter.PostCsvAsync(after)).ReadImportAsync());
        AssertImported(1, await (await _reporter.PostCsvAsync(instead)).ReadImportAsync());

        Assert.Equal(30, Assert.Single(await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Value);
        Assert.Equal("OCHA", Assert.Single(await _reporter.GetDayAsync(AlQaim, CrossingStatus, day)).Source);
    }

    [Fact]
    public async Task A_byte_order_mark_semicolons_and_CRLF_are_read()
    {
        var day = NewWindow();
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            $"site;indicator;timestamp;value;note\r\n{Kirkuk};{FuelStationsOpen};{Iso(day)};55.5;\"a; b\"\r\n")).ToArray();

        using var response = await _reporter.PostCsvAsync(bytes, contentType: "text/csv; charset=utf-8");

        AssertImported(1, await response.ReadImportAsync());
        Assert.Equal("a; b", Assert.Single(await _reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Note);
    }

    [Fact]
    public async Task A_different_reading_already_recorded_is_a_conflict_on_its_line_and_the_same_one_is_accepted()
    {
        var day = NewWindow();
        await (await _reporter.PostObservationsAsync(
            new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 10, timestamp = day },
            new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 30, timestamp = day.AddHours(3) })).AssertAcceptedAsync(2);

        var csv = $"{Header}\n{Mosul},{FuelStationsOpen},{Iso(day)},10,,,\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},11,,,\n" +
                  $"{Mosul},{FuelStationsOpen},{Iso(day.AddHours(1))},12,,,\n{Mosul},{FuelStationsOpen},{Iso(day.AddHours(3))},99,,,\n";
        using var response = await _reporter.PostCsvAsync(csv, "?mode=valid");

        var answer = await response.ReadImportAsync();
        Assert.Equal((2, 2), (answer.Imported, answer.Rejected));
        Assert.Equal([4, 5], answer.Errors.Select(e => e.Line).Order());
        Assert.Contains("Line 3", answer.Errors.Single(e => e.Line == 4).Message);
        Assert.Contains("/api/observations/corrections", answer.Errors.Single(e => e.Line == 5).Message);
        Assert.Equal([10.0, 11.0, 30.0], (await _reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value!.Value));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("text/csv; charset=iso-8859-1")]
    public async Task Other_media_types_are_refused_with_415(string contentType)
    {
        using var response = await _reporter.PostCsvAsync($"{Header}\n", contentType: contentType);
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_file_over_50_MB_is_refused_with_413_and_nothing_is_stored()
    {
        var day = NewWindow();
        var row = Encoding.UTF8.GetBytes($"{Rawa},{FuelStationsOpen},{Iso(day)},1,,,\n");
        var content = new StreamContent(new RepeatingStream(Encoding.UTF8.GetBytes(Header + "\n"), row, 50L * 1024 * 1024 + 1));
        content.Headers.ContentType = new("text/csv");

        using var response = await _reporter.PostAsync("/api/observations/import", content);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await _reporter.GetDayAsync(Rawa, FuelStationsOpen, day));
    }

    [Theory]
    [InlineData("site,indicator,value\n", "timestamp")]
    [InlineData("site,indicator,timestamp,value,colour\n", "header")]
    [InlineData("", "header")]
    public async Task A_file_that_cannot_be_read_as_observations_is_refused_naming_the_field(string csv, string field)
    {
        using var response = await _reporter.PostCsvAsync(csv);
        Assert.Equal([field], (await response.AssertValidationProblemAsync()).Keys);
    }

    [Fact]
    public async Task Text_that_is_not_UTF_8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Header}\n{Mosul},{FuelStationsOpen},2015-01-01T00:00:00Z,1,,").Concat(new byte[] { 0xE9, 0x0A }).ToArray();
        using var response = await _reporter.PostCsvAsync(bytes);
        Assert.Equal(["body"], (await response.AssertValidationProblemAsync()).Keys);
    }

    [Theory]
    [InlineData("?mode=some", "mode")]
    [InlineData("?dryRun=maybe", "dryRun")]
    public async Task Bad_parameters_are_refused_naming_them(string query, string parameter)
    {
        using var response = await _reporter.PostCsvAsync($"{Header}\n", query);
        Assert.Equal([parameter], (await response.AssertValidationProblemAsync()).Keys);
    }

    [Fact]
    public async Task Viewers_cannot_import()
    {
        using var viewer = Client(app, ViewerKey);
        using var response = await viewer.PostCsvAsync($"{Header}\n");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

/// <summary>A header and then one row over and over, up to a length, generated as it is read: a large upload without a large buffer.</summary>
internal sealed class RepeatingStream(byte[] header, byte[] row, long length) : Stream
{
    private long _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count && _position < length)
        {
            var source = _position < header.Length ? header : row;
            var at = _position < header.Length ? _position : (_position - header.Length) % row.Length;
            var n = (int)Math.Min(Math.Min(source.Length - at, count - written), length - _position);
            Array.Copy(source, at, buffer, offset + written, n);
            written += n;
            _position += n;
        }
        return written;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
