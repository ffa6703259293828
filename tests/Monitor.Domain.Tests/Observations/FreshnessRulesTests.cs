using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Observations;

public sealed class FreshnessRulesTests
{
    private static readonly DateTimeOffset Now = new(2014, 6, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Daily = TimeSpan.FromDays(1);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static Freshness AgedBy(TimeSpan age, TimeSpan cadence) => FreshnessRules.Classify(Now - age, Now, cadence);

    [Fact]
    public void Reading_taken_now_is_fresh() => Assert.Equal(Freshness.Fresh, AgedBy(TimeSpan.Zero, Daily));

    [Fact]
    public void Reading_exactly_one_cadence_old_is_still_fresh() => Assert.Equal(Freshness.Fresh, AgedBy(Daily, Daily));

    [Fact]
    public void Reading_just_past_one_cadence_is_due() => Assert.Equal(Freshness.Due, AgedBy(Daily + Tick, Daily));

    [Fact]
    public void Reading_exactly_two_cadences_old_is_still_due() => Assert.Equal(Freshness.Due, AgedBy(Daily * 2, Daily));

    [Fact]
    public void Reading_just_past_two_cadences_is_overdue() => Assert.Equal(Freshness.Overdue, AgedBy(Daily * 2 + Tick, Daily));

    [Fact]
    public void Reading_exactly_three_cadences_old_is_still_overdue() => Assert.Equal(Freshness.Overdue, AgedBy(Daily * 3, Daily));

    [Fact]
    public void Reading_just_past_three_cadences_is_delinquent() => Assert.Equal(Freshness.Delinquent, AgedBy(Daily * 3 + Tick, Daily));

    [Fact]
    public void Reading_years_old_is_delinquent() => Assert.Equal(Freshness.Delinquent, AgedBy(TimeSpan.FromDays(3_650), Daily));

    [Fact]
    public void Reading_stamped_slightly_in_the_future_is_fresh() => Assert.Equal(Freshness.Fresh, AgedBy(-TimeSpan.FromMinutes(5), Daily));

    [Theory]
    [InlineData(5, Freshness.Fresh)]
    [InlineData(7, Freshness.Due)]
    [InlineData(13, Freshness.Overdue)]
    [InlineData(19, Freshness.Delinquent)]
    public void Boundaries_scale_with_the_cadence(int hoursOld, Freshness expected)
    {
        Assert.Equal(expected, AgedBy(TimeSpan.FromHours(hoursOld), TimeSpan.FromHours(6)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Cadence_must_be_positive(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshnessRules.Classify(Now, Now, TimeSpan.FromSeconds(seconds)));
    }
}
