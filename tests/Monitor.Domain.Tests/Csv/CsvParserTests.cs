using Monitor.Domain.Csv;

namespace Monitor.Domain.Tests.Csv;

public sealed class CsvParserTests
{
    private static CsvRecord[] Parse(string text) => CsvParser.Parse(new StringReader(text)).ToArray();

    private static string[][] Fields(string text) => Parse(text).Select(r => r.Fields).ToArray();

    [Fact]
    public void Plain_records_are_split_on_commas_and_line_breaks()
    {
        var records = Parse("siteId,indicatorId,value\nmosul,fuel.stations_open_pct,35\n");

        Assert.Equal(2, records.Length);
        Assert.Equal(["siteId", "indicatorId", "value"], records[0].Fields);
        Assert.Equal(["mosul", "fuel.stations_open_pct", "35"], records[1].Fields);
        Assert.Equal([1, 2], records.Select(r => r.Line));
    }

    [Fact]
    public void Last_record_without_a_line_break_is_kept()
    {
        Assert.Equal([["a", "b"], ["c", "d"]], Fields("a,b\nc,d"));
    }

    [Fact]
    public void Empty_fields_are_kept_in_place()
    {
        Assert.Equal([["a", "", "c", ""]], Fields("a,,c,\n"));
    }

    [Fact]
    public void Quoted_field_may_hold_commas()
    {
        Assert.Equal([["Tal Afar, Ninawa", "x"]], Fields("\"Tal Afar, Ninawa\",x\n"));
    }

    [Fact]
    public void Doubled_quotes_inside_a_quoted_field_are_one_quote()
    {
        Assert.Equal([["say \"closed\"", "\""]], Fields("\"say \"\"closed\"\"\",\"\"\"\"\n"));
    }

    [Fact]
    public void Quoted_empty_field_is_an_empty_string()
    {
        Assert.Equal([["", "b"]], Fields("\"\",b\n"));
    }

    [Fact]
    public void Quoted_field_may_span_lines_and_later_records_keep_their_line_numbers()
    {
        var records = Parse("h1,h2\nmosul,\"queue\nof 2 km,\nsince dawn\"\nkirkuk,ok\n");

        Assert.Equal(3, records.Length);
        Assert.Equal(["mosul", "queue\nof 2 km,\nsince dawn"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["kirkuk", "ok"], records[2].Fields);
        Assert.Equal(5, records[2].Line);
    }

    [Fact]
    public void Crlf_line_endings_leave_no_carriage_returns_in_fields()
    {
        var records = Parse("a,b\r\nc,\"d\"\r\ne,f\r\n");

        Assert.Equal([["a", "b"], ["c", "d"], ["e", "f"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
    }

    [Fact]
    public void Blank_lines_are_skipped_but_counted()
    {
        var records = Parse("a,b\n\n\nc,d\n");

        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Fields));
        Assert.Equal([1, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void Quote_inside_an_unquoted_field_is_literal()
    {
        Assert.Equal([["5\" pipe", "x"]], Fields("5\" pipe,x\n"));
    }

    [Fact]
    public void Unicode_text_passes_through()
    {
        Assert.Equal([["الموصل", "Tal \"Afar\", \\ ="]], Fields("الموصل,\"Tal \"\"Afar\"\", \\ =\"\n"));
    }

    [Fact]
    public void Unterminated_quote_is_an_error_naming_the_line_the_record_starts_on()
    {
        var error = Assert.Throws<FormatException>(() => Parse("h1,h2\nmosul,35\nkirkuk,\"never closed\nstill open\n"));

        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unterminated_quote_on_the_first_line_names_line_one()
    {
        var error = Assert.Throws<FormatException>(() => Parse("\"abc"));

        Assert.StartsWith("Line 1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_has_no_records()
    {
        Assert.Empty(Parse(""));
    }
}
