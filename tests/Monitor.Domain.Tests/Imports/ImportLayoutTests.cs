using Monitor.Domain.Imports;

namespace Monitor.Domain.Tests.Imports;

public sealed class ImportLayoutTests
{
    [Theory]
    [InlineData("#loc+code|#indicator+code|#date|#value")]
    [InlineData("#adm1 +code||#date|#status")]
    [InlineData("#meta+note+ar")]
    public void Hashtag_rows_are_recognised_by_their_shape(string cells) => Assert.True(ImportLayout.IsHashtagRow(cells.Split('|')));

    [Theory]
    [InlineData("site|indicator|timestamp|value")]
    [InlineData("mosul|#indicator+code")]
    [InlineData("|")]
    [InlineData("#1 fuel|#date")]
    public void Headers_and_data_are_not_hashtag_rows(string cells) => Assert.False(ImportLayout.IsHashtagRow(cells.Split('|')));

    [Fact]
    public void Header_columns_may_come_in_any_order()
    {
        var layout = ImportLayout.FromHeader(["note", "Value", "timestamp", "site", "indicator"], 1);

        Assert.Equal(0, layout[ImportField.Note]);
        Assert.Equal(1, layout[ImportField.Value]);
        Assert.Equal(3, layout[ImportField.Site]);
        Assert.False(layout.Has(ImportField.State));
        Assert.False(layout.Has(ImportField.Source));
    }

    [Fact]
    public void Hashtags_map_columns_and_ignore_the_ones_they_do_not_know()
    {
        var layout = ImportLayout.FromHashtags(
            ["#adm1+name", "#meta+note", "#date+reported", "#indicator+code", "#loc +code", "#status", "#meta+source", "#geo+lat"], 2);

        Assert.Equal(4, layout[ImportField.Site]);
        Assert.Equal(3, layout[ImportField.Indicator]);
        Assert.Equal(2, layout[ImportField.Timestamp]);
        Assert.Equal(5, layout[ImportField.State]);
        Assert.Equal(6, layout[ImportField.Source]);
        Assert.Equal(1, layout[ImportField.Note]);
        Assert.False(layout.Has(ImportField.Value));
    }

    [Fact]
    public void A_governorate_code_names_the_site_when_no_location_code_does()
    {
        Assert.Equal(0, ImportLayout.FromHashtags(["#adm1+code", "#indicator+code", "#date", "#value"], 1)[ImportField.Site]);
        Assert.Equal(1, ImportLayout.FromHashtags(["#adm1+code", "#loc+code", "#indicator+code", "#date", "#value"], 1)[ImportField.Site]);
    }

    [Fact]
    public void An_unknown_header_column_is_refused_by_name()
    {
        var error = Assert.Throws<ImportFormatException>(() => ImportLayout.FromHeader(["site", "indicator", "timestamp", "valeu"], 1));
        Assert.Equal("header", error.Field);
        Assert.Contains("'valeu'", error.Message);
    }

    [Theory]
    [InlineData(new[] { "indicator", "timestamp", "value" }, "site")]
    [InlineData(new[] { "site", "timestamp", "state" }, "indicator")]
    [InlineData(new[] { "site", "indicator", "value" }, "timestamp")]
    [InlineData(new[] { "site", "indicator", "timestamp", "note" }, "value")]
    public void A_missing_column_is_named(string[] header, string field) =>
        Assert.Equal(field, Assert.Throws<ImportFormatException>(() => ImportLayout.FromHeader(header, 1)).Field);

    [Fact]
    public void Two_columns_for_one_field_are_refused() =>
        Assert.Equal("site", Assert.Throws<ImportFormatException>(() => ImportLayout.FromHeader(["site", "siteId", "indicator", "timestamp", "value"], 1)).Field);
}
