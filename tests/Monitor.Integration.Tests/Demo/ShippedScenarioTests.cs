using Monitor.Domain.Demo;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Demo;

namespace Monitor.Integration.Tests.Demo;

/// <summary>
/// The defaults against the scenario the app ships (seed-data/, copied beside the app): a newcomer's first run must show
/// readings at once and every kind of turning point live within two minutes.
/// </summary>
public sealed class ShippedScenarioTests
{
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DemoFeedOptions Defaults = new();
    private static readonly DemoTimeline Timeline =
        DemoTimeline.Split(ScenarioFiles.ReadObservations(Path.Combine(AppContext.BaseDirectory, "seed-data")), Defaults.LiveFrom);

    /// <summary>The whole scenario as the demo stores it: the loaded part shifted to end at the start, the live part stamped when due.</summary>
    private static readonly IReadOnlyList<ObservationInput> AsStreamed =
    [
        .. Timeline.Loaded.Select(r => DemoTimeline.Shifted(r, DemoTimeline.ShiftFor(Defaults.LiveFrom, Start))),
        .. DemoSchedule.Start(Start, Defaults.LiveFrom, Defaults.Speed).Stamp(Timeline.Live, 0, Timeline.Live.Count),
    ];

    private static readonly string[] TurningStates = ["closed", "offline", "reduced"];

    /// <summary>How long after the start the first live reading matching <paramref name="turns"/> arrives; fails if one was loaded already.</summary>
    private static TimeSpan FirstLive(Func<ObservationInput, bool> turns)
    {
        Assert.DoesNotContain(Timeline.Loaded, r => turns(r));
        var first = AsStreamed.Where(turns).MinBy(r => r.Timestamp);
        Assert.NotNull(first);
        return first.Timestamp!.Value - Start;
    }

    [Fact]
    public void The_first_live_readings_arrive_at_once()
    {
        Assert.NotEmpty(Timeline.Loaded);
        Assert.Equal(TimeSpan.Zero, AsStreamed.Where(r => r.Timestamp >= Start).Min(r => r.Timestamp) - Start);
    }

    [Theory]
    [InlineData("mosul")]
    [InlineData("tal-afar")]
    public void Fuel_stations_open_fall_below_30_percent_within_two_minutes(string city) =>
        Assert.InRange(FirstLive(r => r.SiteId == city && r.IndicatorId == "fuel.stations_open_pct" && r.Value < 30), TimeSpan.Zero, TwoMinutes);

    [Fact]
    public void The_Al_Qaim_crossing_closes_within_two_minutes() =>
        Assert.InRange(FirstLive(r => r.SiteId == "al-qaim-crossing" && r.IndicatorId == "border.status" && r.State == "closed"), TimeSpan.Zero, TwoMinutes);

    [Fact]
    public void The_Baiji_refinery_goes_down_within_two_minutes() =>
        Assert.InRange(FirstLive(r => r.SiteId == "baiji-refinery" && r.IndicatorId == "refinery.status" && TurningStates.Contains(r.State)), TimeSpan.Zero, TwoMinutes);

    [Fact]
    public void A_fuel_price_spikes_within_two_minutes()
    {
        // As the seeded rule will see it: 1.5× the median of the site's readings over the preceding 7 days, in stored time.
        var spikes = AsStreamed
            .Where(r => r.IndicatorId == "fuel.price_per_litre" && r.Timestamp >= Start)
            .Where(r =>
            {
                var baseline = AsStreamed
                    .Where(b => b.SiteId == r.SiteId && b.IndicatorId == r.IndicatorId && b.Timestamp < r.Timestamp && b.Timestamp >= r.Timestamp - TimeSpan.FromDays(7))
                    .Select(b => b.Value!.Value).Order().ToArray();
                return baseline.Length > 0 && r.Value >= 1.5 * Median(baseline);
            });

        Assert.InRange(spikes.Min(r => r.Timestamp)!.Value - Start, TimeSpan.Zero, TwoMinutes);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
