using Monitor.Domain.Catalog;
using static Monitor.Domain.Tests.TestCatalog;

namespace Monitor.Domain.Tests.Catalog;

public sealed class StateSeverityTests
{
    [Theory]
    [InlineData("open", 0)]
    [InlineData("restricted", 1)]
    [InlineData("closed", 2)]
    [InlineData("Closed", 2)]
    [InlineData("flooded", -1)]
    [InlineData(null, -1)]
    public void A_state_ranks_by_its_place_in_the_indicator_from_normal_to_worst(string? state, int rank)
    {
        Assert.Equal(rank, StateSeverity.RankOf(CrossingStatusIndicator, state));
    }

    [Fact]
    public void States_order_from_normal_to_worst_with_unlisted_ones_last()
    {
        Assert.Equal(["open", "closed", "flooded", "unknown"],
            StateSeverity.Order(CrossingStatusIndicator, ["unknown", "closed", "flooded", "open"]));
    }
}
