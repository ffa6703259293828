using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Observations;

public sealed class PlausibilityTests
{
    private static readonly DateTimeOffset Then = new(2014, 6, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly IndicatorDefinition Price =
        new("fuel.price_per_litre", "Fuel price", IndicatorKind.Numeric, "IQD/L", 0, 10_000, [], ["city"], TimeSpan.FromDays(1));

    private static readonly IndicatorDefinition Status =
        new("refinery.status", "Refinery status", IndicatorKind.State, null, null, null, ["operating", "offline"], ["refinery"], TimeSpan.FromHours(6));

    private static Observation Last(IndicatorDefinition indicator, double? value, string? state = null) =>
        new("mosul", indicator.Id, Then, value, state, "test", null);

    public static TheoryData<string, double, double, int, PlausibilityConcern[]> Numeric => new()
    {
        // indicator, last value, new value, minutes after the last one, expected concerns
        { "price", 1_000, 1_200, 60, [] },
        { "price", 1_000, 4_999, 60, [] },
        { "price", 1_000, 5_000, 60, [PlausibilityConcern.Jump] },
        { "price", 1_000, 10_000, 60 * 24, [PlausibilityConcern.Jump] },
        { "price", 0, 5_000, 60, [] },
        { "price", 1_000, 200, 60, [] },
        { "price", 1_000, 1_000, -60, [PlausibilityConcern.OlderThanLatest] },
        { "price", 1_000, 6_000, -1, [PlausibilityConcern.OlderThanLatest, PlausibilityConcern.Jump] },
        { "percent", 90, 5, 60, [PlausibilityConcern.Collapse] },
        { "percent", 95, 0, 1, [PlausibilityConcern.Collapse] },
        { "percent", 90, 5, 61, [] },
        { "percent", 89, 5, 30, [] },
        { "percent", 90, 6, 30, [] },
        { "percent", 90, 5, -30, [PlausibilityConcern.OlderThanLatest] },
        { "percent", 10, 60, 30, [PlausibilityConcern.Jump] },
        { "percent", 60, 70, 0, [] },
    };

    [Theory]
    [MemberData(nameof(Numeric))]
    public void Numeric_readings_warn_only_where_a_slip_is_likely(string indicator, double last, double value, int minutesLater, PlausibilityConcern[] expected)
    {
        var definition = indicator == "percent" ? TestCatalog.FuelStationsOpenIndicator : Price;

        var warnings = Plausibility.Check(definition, value, Then.AddMinutes(minutesLater), Last(definition, last));

        Assert.Equal(expected.Order(), warnings.Select(w => w.Concern).Order());
        Assert.All(warnings, w => Assert.Equal(last, w.Latest.Value));
    }

    [Fact]
    public void A_first_reading_has_nothing_to_be_compared_with() =>
        Assert.Empty(Plausibility.Check(Price, 9_999, Then, latest: null));

    [Theory]
    [InlineData(-1, new[] { PlausibilityConcern.OlderThanLatest })]
    [InlineData(0, new PlausibilityConcern[0])]
    [InlineData(60, new PlausibilityConcern[0])]
    public void A_state_reading_is_only_checked_for_being_older_than_the_latest(int minutesLater, PlausibilityConcern[] expected)
    {
        var warnings = Plausibility.Check(Status, null, Then.AddMinutes(minutesLater), Last(Status, null, "operating"));

        Assert.Equal(expected, warnings.Select(w => w.Concern));
    }
}
