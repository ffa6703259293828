using Monitor.Domain.Observations;

namespace Monitor.Domain.Demo;

/// <summary>
/// A scenario cut in two for the demo feed: the readings before <see cref="LiveFrom"/> are loaded at once, moved in time
/// so that the cut falls on the moment of loading; the rest (<see cref="Live"/>) is streamed afterwards.
/// </summary>
public sealed record DemoTimeline(DateTimeOffset LiveFrom, IReadOnlyList<ObservationInput> Loaded, IReadOnlyList<ObservationInput> Live)
{
    /// <summary>Splits a scenario at <paramref name="liveFrom"/>; the live part in timestamp order, ties in file order.</summary>
    public static DemoTimeline Split(IEnumerable<ObservationInput> scenario, DateTimeOffset liveFrom)
    {
        var loaded = new List<ObservationInput>();
        var live = new List<ObservationInput>();
        foreach (var reading in scenario)
        {
            (TimestampOf(reading) < liveFrom ? loaded : live).Add(reading);
        }
        // OrderBy is stable: readings of one moment keep the scenario's own order.
        return new DemoTimeline(liveFrom, loaded, live.OrderBy(TimestampOf).ToArray());
    }

    /// <summary>
    /// How far the loaded part moves so that the cut falls on <paramref name="now"/> and the newest loaded reading lies just
    /// before it. Whole seconds: shifted timestamps stay readable.
    /// </summary>
    public static TimeSpan ShiftFor(DateTimeOffset liveFrom, DateTimeOffset now) =>
        Truncate(now, TimeSpan.TicksPerSecond) - liveFrom;

    public static ObservationInput Shifted(ObservationInput reading, TimeSpan shift) =>
        reading with { Timestamp = TimestampOf(reading) + shift };

    internal static DateTimeOffset TimestampOf(ObservationInput reading) =>
        reading.Timestamp ?? throw new ArgumentException($"A scenario reading of '{reading.IndicatorId}' at '{reading.SiteId}' has no timestamp.", nameof(reading));

    internal static DateTimeOffset Truncate(DateTimeOffset time, long ticks) =>
        new(time.UtcTicks - time.UtcTicks % ticks, TimeSpan.Zero);
}

/// <summary>
/// When each live reading falls due: scenario time <see cref="ScenarioAt"/> happens at <see cref="StartedAt"/>, and
/// scenario time runs <see cref="Speed"/> times faster than real time from there. A reading is stamped with the moment it
/// falls due, so the same schedule always stamps it alike: posting it again is an identical, harmless resubmission.
/// </summary>
public sealed record DemoSchedule(DateTimeOffset StartedAt, DateTimeOffset ScenarioAt, double Speed)
{
    /// <summary>Starts a schedule at <paramref name="now"/> (whole milliseconds, as stores keep timestamps).</summary>
    public static DemoSchedule Start(DateTimeOffset now, DateTimeOffset scenarioAt, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        return new DemoSchedule(DemoTimeline.Truncate(now, TimeSpan.TicksPerMillisecond), scenarioAt, speed);
    }

    /// <summary>The real moment a reading of scenario time <paramref name="scenarioTime"/> falls due, in whole milliseconds.</summary>
    public DateTimeOffset DueAt(DateTimeOffset scenarioTime)
    {
        var real = TimeSpan.FromTicks((long)((scenarioTime - ScenarioAt).Ticks / Speed));
        return DemoTimeline.Truncate(StartedAt + real, TimeSpan.TicksPerMillisecond);
    }

    /// <summary>
    /// The end (exclusive) of the readings from <paramref name="next"/> on that are due at <paramref name="now"/>, at most
    /// <paramref name="maxBatch"/> of them; <paramref name="next"/> itself when none is due yet.
    /// </summary>
    public int DueThrough(IReadOnlyList<ObservationInput> live, int next, DateTimeOffset now, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        var end = next;
        while (end < live.Count && end - next < maxBatch && DueAt(DemoTimeline.TimestampOf(live[end])) <= now) end++;
        return end;
    }

    /// <summary>The readings <paramref name="next"/> to <paramref name="end"/> (exclusive), each stamped with its due moment.</summary>
    public IReadOnlyList<ObservationInput> Stamp(IReadOnlyList<ObservationInput> live, int next, int end)
    {
        var stamped = new ObservationInput[end - next];
        for (var i = next; i < end; i++) stamped[i - next] = live[i] with { Timestamp = DueAt(DemoTimeline.TimestampOf(live[i])) };
        return stamped;
    }
}
