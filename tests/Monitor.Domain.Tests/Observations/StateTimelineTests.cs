using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Observations;

public sealed class StateTimelineTests
{
    private static readonly DateTimeOffset From = new(2014, 6, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(4);

    [Fact]
    public void A_state_lasts_until_the_next_different_one_and_the_last_until_the_end_of_the_range()
    {
        var segments = StateTimeline.Segments(
            [State(From.AddHours(-6), "open"), State(From.AddHours(6), "open"), State(From.AddDays(1), "restricted"), State(From.AddDays(2), "closed")],
            From, To);

        Assert.Equal(
            [new StateSegment("open", From, From.AddDays(1)), new StateSegment("restricted", From.AddDays(1), From.AddDays(2)), new StateSegment("closed", From.AddDays(2), To)],
            segments);
    }

    [Fact]
    public void Without_readings_there_are_no_segments() => Assert.Empty(StateTimeline.Segments([], From, To));

    private static SeriesPoint State(DateTimeOffset at, string state) => new(at, State: state);
}
