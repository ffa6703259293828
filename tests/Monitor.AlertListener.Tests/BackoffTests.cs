using Monitor.AlertListener;

namespace Monitor.AlertListener.Tests;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 250, 500)]
    [InlineData(2, 500, 1_000)]
    [InlineData(3, 1_000, 2_000)]
    [InlineData(7, 15_000, 30_000)]
    [InlineData(8, 15_000, 30_000)]
    [InlineData(1_000_000, 15_000, 30_000)]
    public void Delay_doubles_up_to_the_cap_with_jitter_between_half_and_all(int attempt, double lowest, double highest)
    {
        Assert.Equal(lowest, Backoff.Delay(attempt, 0).TotalMilliseconds, precision: 6);
        Assert.Equal(highest, Backoff.Delay(attempt, 1).TotalMilliseconds, precision: 6);
        var middle = Backoff.Delay(attempt, 0.5).TotalMilliseconds;
        Assert.InRange(middle, lowest + 1, highest - 1);
    }

    [Fact]
    public void Never_waits_longer_than_the_cap() =>
        Assert.All(Enumerable.Range(1, 100), attempt => Assert.True(Backoff.Delay(attempt, 0.999) <= Backoff.Cap));
}
