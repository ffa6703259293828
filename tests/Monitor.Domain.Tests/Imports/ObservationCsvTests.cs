using System.Globalization;
using Monitor.Domain.Catalog;
using Monitor.Domain.Imports;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Imports;

public sealed class ObservationCsvTests
{
    private static readonly CatalogSnapshot Catalog = new(
        [TestCatalog.MosulSite with { Pcode = "IQG15Q01", RegionPcode = "IQG15" }, TestCatalog.KirkukSite with { RegionPcode = "IQG13" }],
        [TestCatalog.FuelStationsOpenIndicator]);

    private static ImportRow[] Read(string text) => ObservationCsv.Read(new StringReader(text), Catalog).ToArray();

    [Fact]
    public void Rows_carry_the_physical_line_they_start_on_across_quoted_line_breaks()
    {
        var rows = Read(
            "site,indicator,timestamp,value,note\n" +
            "mosul,fuel.stations_open_pct,2014-06-10T06:00:00Z,35,\"two\nlines\"\n" +
            "mosul,fuel.stations_open_pct,2014-06-10T12:00:00Z,30,\"three\r\nmore\nlines\"\n" +
            "\n" +
            "mosul,fuel.stations_open_pct,2014-06-10T18:00:00Z,x,\n");

        Assert.Equal([2, 4, 8], rows.Select(r => r.Line));
        Assert.Equal("two\nlines", rows[0].Input!.Note);
        Assert.Equal("three\r\nmore\nlines", rows[1].Input!.Note);
        Assert.Equal(new ImportError(8, "value", "'x' is not a number; write it like 42.5, with '.' as the decimal point."), Assert.Single(rows[2].Errors));
    }

    [Fact]
    public void Quoted_cells_keep_commas_quotes_and_Arabic()
    {
        var row = Assert.Single(Read("site,indicator,timestamp,value,source,note\r\n" +
                                     "mosul,fuel.stations_open_pct,2014-06-10T06:00:00Z,35,\"OCHA, Erbil\",\"طوابير \"\"طويلة\"\" في الموصل\"\r\n"));

        Assert.Equal("OCHA, Erbil", row.Input!.Source);
        Assert.Equal("طوابير \"طويلة\" في الموصل", row.Input.Note);
    }

    [Fact]
    public void Semicolons_CRLF_and_a_byte_order_mark_are_read()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble()
            .Concat(System.Text.Encoding.UTF8.GetBytes("site;indicator;timestamp;value\r\nmosul;fuel.stations_open_pct;2014-06-10T06:00:00Z;35.5\r\n")).ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes));

        var row = Assert.Single(ObservationCsv.Read(reader, Catalog));

        Assert.Equal(2, row.Line);
        Assert.Equal(new ObservationInput("mosul", "fuel.stations_open_pct", 35.5, null, DateTimeOffset.Parse("2014-06-10T06:00:00Z", CultureInfo.InvariantCulture)), row.Input);
    }

    [Fact]
    public void A_hashtag_row_may_follow_the_header_or_replace_it()
    {
        var after = Read("Location,Indicator,Date,Value\n#loc+code,#indicator+code,#date,#value\nmosul,fuel.stations_open_pct,2014-06-10,35\n");
        var instead = Read("#date,#value,#indicator+code,#loc+code\n2014-06-10,35,fuel.stations_open_pct,mosul\n");

        Assert.Equal(3, Assert.Single(after).Line);
        Assert.Equal(2, Assert.Single(instead).Line);
        Assert.Equal(after[0].Input, instead[0].Input);
        Assert.Equal(new DateTimeOffset(2014, 6, 10, 0, 0, 0, TimeSpan.Zero), instead[0].Input!.Timestamp);
    }

    [Theory]
    [InlineData("IQG15Q01", "mosul")]
    [InlineData("iqg15q01", "mosul")]
    [InlineData("kirkuk", "kirkuk")]
    [InlineData("IQG13", "IQG13")]
    public void A_site_is_named_by_its_id_or_its_own_P_code(string cell, string expected)
    {
        var row = Assert.Single(Read($"site,indicator,timestamp,value\n{cell},fuel.stations_open_pct,2014-06-10T06:00:00Z,35\n"));
        Assert.Equal(expected, row.Input!.SiteId);
    }

    [Fact]
    public void Cells_protected_against_formulas_import_as_written()
    {
        var row = Assert.Single(Read("site,indicator,timestamp,value,note\nmosul,fuel.stations_open_pct,2014-06-10T06:00:00Z,35,'=1+1\n"));
        Assert.Equal("=1+1", row.Input!.Note);
    }

    [Theory]
    [InlineData("10/06/2014")]
    [InlineData("June 10")]
    [InlineData("")]
    public void Timestamps_must_be_ISO_8601(string cell)
    {
        var row = Assert.Single(Read($"site,indicator,timestamp,value\nmosul,fuel.stations_open_pct,{cell},35\n"));
        Assert.Null(row.Input);
        Assert.Equal("timestamp", Assert.Single(row.Errors).Field);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_an_error_on_its_line()
    {
        var rows = Read("site,indicator,timestamp,value\nmosul,fuel.stations_open_pct,2014-06-10T06:00:00Z\n");
        Assert.Equal(new ImportError(2, "row", "This row has 3 fields; the header has 4."), Assert.Single(Assert.Single(rows).Errors));
    }

    [Fact]
    public void A_header_alone_reads_no_rows_but_a_bad_header_alone_is_refused()
    {
        Assert.Empty(Read("site,indicator,timestamp,value\n"));
        Assert.Throws<ImportFormatException>(() => Read("site,indicator\n"));
        Assert.Throws<ImportFormatException>(() => Read(""));
    }

    [Fact]
    public void Exports_read_back_as_written()
    {
        var readings = new[]
        {
            new Observation("mosul", "fuel.stations_open_pct", new DateTimeOffset(2014, 6, 10, 6, 0, 0, 123, TimeSpan.Zero), -0.1 + 35, null,
                "@reporter, \"Erbil\"", "=HYPERLINK(\"x\")\nالموصل"),
            new Observation("kirkuk", "fuel.stations_open_pct", new DateTimeOffset(2014, 6, 11, 0, 0, 0, TimeSpan.Zero), 1e-7, null, null, "-5 litres"),
        };
        var text = new StringWriter();
        using (var writer = new ObservationCsvWriter(text))
        {
            foreach (var reading in readings) writer.Write(reading);
        }

        var lines = text.ToString().Split('\n');
        Assert.Equal("site,indicator,timestamp,value,state,source,note", lines[0].TrimEnd('\r'));
        Assert.Equal("#loc+code,#indicator+code,#date,#value,#status,#meta+source,#meta+note", lines[1].TrimEnd('\r'));
        Assert.Contains("'=HYPERLINK", lines[2]);
        Assert.Contains("'@reporter", lines[2]);
        Assert.Contains("'-5 litres", text.ToString());

        var back = Read(text.ToString());
        Assert.Equal([3, 5], back.Select(r => r.Line));
        Assert.Equal(readings.Select(r => new ObservationInput(r.SiteId, r.IndicatorId, r.Value, r.State, r.Timestamp, r.Source, r.Note)), back.Select(r => r.Input));
    }
}
