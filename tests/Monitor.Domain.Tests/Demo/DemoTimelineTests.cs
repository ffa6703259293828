using Microsoft.Extensions.Time.Testing;
using Monitor.Domain.Demo;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Demo;

public sealed class DemoTimelineTests
{
    private static readonly DateTimeOffset Cut = Utc(2014, 6, 10, 0);

    /// <summary>Mosul every 6 hours from 9 June 00:00 to 11 June 00:00, Baiji's status twice, deliberately out of order.</summary>
    private static readonly ObservationInput[] Scenario =
    [
        new("baiji-refinery", "refinery.status", State: "reduced", Timestamp: Utc(2014, 6, 10, 12)),
        .. Enumerable.Range(0, 9).Select(i => new ObservationInput("mosul", "fuel.stations_open_pct", Value: 90 - i * 10, Timestamp: Utc(2014, 6, 9, 0).AddHours(6 * i))),
        new("baiji-refinery", "refinery.status", State: "operating", Timestamp: Utc(2014, 6, 9, 12)),
    ];

    /// <summary>A real-looking now, with milliseconds and ticks to truncate.</summary>
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero).AddTicks(8979));

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Stamp(ObservationInput reading) => reading.Timestamp!.Value;

    [Fact]
    public void Readings_before_the_cut_are_loaded_and_the_rest_is_live_in_time_order()
    {
        var timeline = DemoTimeline.Split(Scenario, Cut);

        Assert.All(timeline.Loaded, r => Assert.True(Stamp(r) < Cut));
        Assert.All(timeline.Live, r => Assert.True(Stamp(r) >= Cut));
        Assert.Equal(Scenario.Length, timeline.Loaded.Count + timeline.Live.Count);
        Assert.Equal(
            [Utc(2014, 6, 10, 0), Utc(2014, 6, 10, 6), Utc(2014, 6, 10, 12), Utc(2014, 6, 10, 12), Utc(2014, 6, 10, 18), Utc(2014, 6, 11, 0)],
            timeline.Live.Select(Stamp));
        // Baiji comes first in the file, so it stays first among the readings of 10 June 12:00.
        Assert.Equal("baiji-refinery", timeline.Live[2].SiteId);
        Assert.Equal(30, timeline.Live[3].Value);
    }

    [Fact]
    public void Shift_puts_the_end_of_the_loaded_part_at_now()
    {
        var now = Clock().GetUtcNow();
        var timeline = DemoTimeline.Split(Scenario, Cut);

        var shift = DemoTimeline.ShiftFor(Cut, now);
        var shifted = timeline.Loaded.Select(r => DemoTimeline.Shifted(r, shift)).ToArray();

        Assert.Equal(new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero), Cut + shift);
        Assert.InRange(now - (Cut + shift), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        // The newest loaded reading (9 June 18:00) lies one reporting interval before now; nothing lies after it.
        Assert.Equal(Cut + shift - TimeSpan.FromHours(6), shifted.Max(Stamp));
        Assert.All(shifted, r => Assert.True(Stamp(r) < now));
    }

    [Fact]
    public void Shift_keeps_the_spacing_and_content_of_the_loaded_readings()
    {
        var timeline = DemoTimeline.Split(Scenario, Cut);
        var shift = DemoTimeline.ShiftFor(Cut, Clock().GetUtcNow());

        var shifted = timeline.Loaded.Select(r => DemoTimeline.Shifted(r, shift)).ToArray();

        Assert.Equal(timeline.Loaded.Select(r => r with { Timestamp = null }), shifted.Select(r => r with { Timestamp = null }));
        Assert.Equal(timeline.Loaded.Select(r => Stamp(r) - Cut), shifted.Select(r => Stamp(r) - (Cut + shift)));
    }

    [Fact]
    public void Live_readings_fall_due_compressed_by_the_speed()
    {
        var clock = Clock();
        var live = DemoTimeline.Split(Scenario, Cut).Live;
        // A scenario day every 10 seconds: 6 hours every 2.5 s.
        var schedule = DemoSchedule.Start(clock.GetUtcNow(), Cut, speed: 8_640);

        Assert.Equal(1, schedule.DueThrough(live, 0, clock.GetUtcNow(), maxBatch: 100));
        clock.Advance(TimeSpan.FromMilliseconds(2_499));
        Assert.Equal(1, schedule.DueThrough(live, 1, clock.GetUtcNow(), maxBatch: 100));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, schedule.DueThrough(live, 1, clock.GetUtcNow(), maxBatch: 100));
        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(4, schedule.DueThrough(live, 2, clock.GetUtcNow(), maxBatch: 100));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(live.Count, schedule.DueThrough(live, 4, clock.GetUtcNow(), maxBatch: 100));
    }

    [Fact]
    public void A_feed_that_fell_behind_catches_up_in_small_batches()
    {
        var clock = Clock();
        var live = DemoTimeline.Split(Scenario, Cut).Live;
        var schedule = DemoSchedule.Start(clock.GetUtcNow(), Cut, speed: 8_640);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, schedule.DueThrough(live, 0, clock.GetUtcNow(), maxBatch: 2));
        Assert.Equal(4, schedule.DueThrough(live, 2, clock.GetUtcNow(), maxBatch: 2));
    }

    [Fact]
    public void Readings_are_stamped_with_their_due_moment_in_order_and_alike_every_time()
    {
        var clock = Clock();
        var live = DemoTimeline.Split(Scenario, Cut).Live;
        var schedule = DemoSchedule.Start(clock.GetUtcNow(), Cut, speed: 8_640);

        var stamped = schedule.Stamp(live, 0, live.Count);

        Assert.Equal(
            [0, 2_500, 5_000, 5_000, 7_500, 10_000],
            stamped.Select(r => (Stamp(r) - schedule.StartedAt).TotalMilliseconds));
        Assert.Equal(TimeSpan.Zero, TimeSpan.FromTicks(schedule.StartedAt.UtcTicks % TimeSpan.TicksPerMillisecond));
        Assert.Equal(stamped, schedule.Stamp(live, 0, live.Count));
        Assert.Equal(live.Select(r => r with { Timestamp = null }), stamped.Select(r => r with { Timestamp = null }));
    }

    [Fact]
    public void A_schedule_resumed_later_makes_the_next_reading_due_at_once()
    {
        var clock = Clock();
        var live = DemoTimeline.Split(Scenario, Cut).Live;
        clock.Advance(TimeSpan.FromHours(3));

        var resumed = DemoSchedule.Start(clock.GetUtcNow(), Stamp(live[3]), speed: 8_640);

        Assert.Equal(4, resumed.DueThrough(live, 3, clock.GetUtcNow(), maxBatch: 100));
        Assert.True(Stamp(resumed.Stamp(live, 3, 4)[0]) <= clock.GetUtcNow());
    }
}
