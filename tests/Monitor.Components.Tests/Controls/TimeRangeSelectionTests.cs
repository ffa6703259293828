using Monitor.Domain.Observations;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;

namespace Monitor.Components.Tests.Controls;

public sealed class TimeRangeSelectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ObservationExtent Scenario = new(
        new DateTimeOffset(2014, 6, 5, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2014, 6, 28, 18, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_relative_range_with_nothing_recent_ends_at_the_newest_observation_and_says_so()
    {
        var range = new TimeRangeSelection(RangeChoice.Last7Days).Resolve(Scenario, Now);

        Assert.True(range.AnchoredOnLatest);
        Assert.False(range.FollowsNow);
        Assert.Equal(Scenario.Last, range.To);
        Assert.Equal(Scenario.Last - TimeSpan.FromDays(7), range.From);
    }

    [Fact]
    public void A_relative_range_with_recent_data_ends_now_and_follows_the_present()
    {
        var recent = new ObservationExtent(Scenario.First, Now - TimeSpan.FromHours(3));

        var range = new TimeRangeSelection(RangeChoice.Last24Hours).Resolve(recent, Now);

        Assert.False(range.AnchoredOnLatest);
        Assert.True(range.FollowsNow);
        Assert.Equal(Now, range.To);
        Assert.Equal(Now - TimeSpan.FromHours(24), range.From);
        Assert.True(range.Covers(Now + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void All_data_spans_the_oldest_to_the_newest_observation()
    {
        var range = new TimeRangeSelection(RangeChoice.All).Resolve(Scenario, Now);

        Assert.Equal((Scenario.First, Scenario.Last, false), (range.From, range.To, range.AnchoredOnLatest));
    }

    [Theory]
    [InlineData("2014-01-01", "9999-12-31")]
    [InlineData("0001-01-01", "2014-06-12")]
    [InlineData("0001-01-01", "9999-12-31")]
    public void Custom_dates_beyond_what_can_be_stored_are_cut_to_it(string from, string to)
    {
        var range = TimeRangeSelection.Parse("custom", from, to).Resolve(Scenario, Now);

        Assert.InRange(range.From, StorableTime.Earliest, StorableTime.Latest);
        Assert.InRange(range.To, StorableTime.Earliest, StorableTime.Latest);
        Assert.True(range.From < range.To);
    }

    [Fact]
    public void Custom_dates_are_whole_utc_days_with_both_ends_included()
    {
        var selection = TimeRangeSelection.Parse("custom", "2014-06-10", "2014-06-12");

        var range = selection.Resolve(Scenario, Now);

        Assert.Equal(new DateTimeOffset(2014, 6, 10, 0, 0, 0, TimeSpan.Zero), range.From);
        Assert.Equal(new DateTimeOffset(2014, 6, 13, 0, 0, 0, TimeSpan.Zero), range.To);
        Assert.False(range.AnchoredOnLatest);
        Assert.False(range.Covers(range.To + TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(null, null, null, RangeChoice.Last7Days)]
    [InlineData("24h", null, null, RangeChoice.Last24Hours)]
    [InlineData("30D", null, null, RangeChoice.Last30Days)]
    [InlineData("all", null, null, RangeChoice.All)]
    [InlineData("fortnight", null, null, RangeChoice.Last7Days)]
    [InlineData("custom", "2014-06-10", "not a date", RangeChoice.Last7Days)]
    public void Reads_the_range_from_the_address_and_falls_back_to_seven_days(string? range, string? from, string? to, RangeChoice expected) =>
        Assert.Equal(expected, TimeRangeSelection.Parse(range, from, to).Choice);

    [Fact]
    public void Custom_dates_given_backwards_are_swapped_and_written_back_in_order()
    {
        var selection = TimeRangeSelection.Parse("custom", "2014-06-20", "2014-06-10");

        Assert.Equal(("custom", "2014-06-10", "2014-06-20"), (selection.Key, selection.FromKey, selection.ToKey));
    }
}
