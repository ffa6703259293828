using Monitor.Domain.Alerts;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Alerts;

public sealed class RulePreviewTests
{
    private static readonly DateTimeOffset Start = new(2014, 6, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly AlertRule Below30For6h = new(
        "fuel-low", "Fuel stations open below 30 % for 6 h", TestCatalog.FuelStationsOpen, null, null, RuleOperator.Below,
        30, 35, null, null, TimeSpan.FromHours(6), null, Severity.Critical, true);

    [Fact]
    public void Replays_history_into_episodes_with_their_peak()
    {
        // Every 12 hours: 80, 25, 20, 33 (held by hysteresis), 40, 28, 60: the 28 held 12 h, past the 6 h period.
        double[] values = [80, 25, 20, 33, 40, 28, 60];
        var readings = values.Select((v, i) => Reading(i * 12, v)).ToArray();

        var episodes = RulePreview.Replay(Below30For6h, TestCatalog.FuelStationsOpenIndicator, TestCatalog.Mosul, readings, Start.AddDays(10), FlappingSettings.Default);

        Assert.Collection(
            episodes,
            fired =>
            {
                Assert.Equal(Start.AddHours(12), fired.StartedAt);
                Assert.Equal(Start.AddHours(18), fired.FiredAt);
                Assert.Equal(Start.AddHours(48), fired.ResolvedAt);
                Assert.Equal(20, fired.Peak);
            },
            second =>
            {
                Assert.Equal(Start.AddHours(60), second.StartedAt);
                Assert.Equal(Start.AddHours(66), second.FiredAt);
                Assert.Equal(Start.AddHours(72), second.ResolvedAt);
            });
    }

    [Fact]
    public void A_breach_cleared_within_the_period_is_an_episode_that_never_fired()
    {
        var readings = new[] { Reading(0, 50), Reading(1, 20), Reading(3, 50) };
        var episode = Assert.Single(RulePreview.Replay(Below30For6h, TestCatalog.FuelStationsOpenIndicator, TestCatalog.Mosul, readings, Start.AddDays(1), FlappingSettings.Default));
        Assert.Null(episode.FiredAt);
        Assert.Equal(Start.AddHours(3), episode.ResolvedAt);
    }

    [Fact]
    public void An_episode_still_running_at_the_end_has_no_resolution()
    {
        var readings = new[] { Reading(0, 50), Reading(12, 10) };
        var episode = Assert.Single(RulePreview.Replay(Below30For6h, TestCatalog.FuelStationsOpenIndicator, TestCatalog.Mosul, readings, Start.AddHours(13), FlappingSettings.Default));
        Assert.Null(episode.FiredAt);
        Assert.Null(episode.ResolvedAt);
    }

    private static Observation Reading(int hour, double value) =>
        new(TestCatalog.Mosul, TestCatalog.FuelStationsOpen, Start.AddHours(hour), value, null, null, null);
}
