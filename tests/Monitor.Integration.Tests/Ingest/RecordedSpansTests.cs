using Monitor.Domain.Observations;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// Which readings the history guard must look up: those inside a span of time in which their series may hold a
/// reading. Missing one would let history be overwritten; asking about others costs a round trip to InfluxDB.
/// </summary>
public sealed class RecordedSpansTests
{
    private static readonly DateTimeOffset Day = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static Observation Reading(string siteId, double hour) =>
        new(siteId, "fuel.stations_open_pct", Day.AddHours(hour), hour, null, null, null);

    private static ObservationChange[] Records(string siteId, params double[] hours) =>
        hours.Select(h => ObservationChange.Record(Reading(siteId, h))).ToArray();

    private static RecordedSpans Known(IReadOnlyDictionary<SeriesKey, DateTimeOffset>? stored = null)
    {
        var spans = new RecordedSpans();
        spans.Load(stored ?? new Dictionary<SeriesKey, DateTimeOffset>());
        return spans;
    }

    private static double[] MayExist(RecordedSpans spans, string siteId, params double[] hours)
    {
        var readings = hours.Select(h => Reading(siteId, h)).ToArray();
        return spans.MayExist(readings, new PendingChange?[readings.Length])
            .Select(k => (k.Timestamp - Day).TotalHours).ToArray();
    }

    [Fact]
    public void Until_the_store_has_answered_every_reading_may_exist()
    {
        Assert.Equal([1, 200], MayExist(new RecordedSpans(), "mosul", 1, 200));
    }

    [Fact]
    public void Everything_up_to_the_stores_newest_reading_may_exist_and_nothing_after_it()
    {
        var spans = Known(new Dictionary<SeriesKey, DateTimeOffset> { [new SeriesKey("mosul", "fuel.stations_open_pct")] = Day.AddHours(10) });

        Assert.Equal([-5000, 10], MayExist(spans, "mosul", -5000, 10, 10.5, 11));
        Assert.Empty(MayExist(spans, "kirkuk", 1));
    }

    [Fact]
    public void A_batch_committed_after_a_later_one_is_not_looked_up_unless_it_falls_within_what_was_recorded()
    {
        var spans = Known();
        spans.Record(Records("mosul", 20, 21, 22));
        spans.Record(Records("kirkuk", 1));

        // Hours 1 to 19 of Mosul: before its newest reading, but nothing was recorded there.
        Assert.Empty(MayExist(spans, "mosul", 1, 10, 19, 23));
        // Inside the span 20–22, with or without a reading there: looked up.
        Assert.Equal([20, 21.5, 22], MayExist(spans, "mosul", 20, 21.5, 22));
    }

    [Fact]
    public void Queued_readings_and_voids_are_not_looked_up()
    {
        var spans = Known();
        spans.Record([new ObservationChange(ChangeKind.Void, Reading("mosul", 5))]);
        spans.Record(Records("mosul", 8));
        var readings = new[] { Reading("mosul", 5), Reading("mosul", 8) };

        Assert.Equal([readings[1].Key], spans.MayExist(readings, new PendingChange?[readings.Length]));
        Assert.Equal([readings[1].Key], spans.MayExist(readings, []));
        Assert.Empty(spans.MayExist(readings, [null, new PendingChange(ObservationChange.Record(readings[1]), 1, Day, "reporter")]));
    }

    [Fact]
    public void Past_the_limit_spans_merge_and_every_recorded_reading_still_counts()
    {
        var spans = Known();
        var random = new Random(7);
        var hours = Enumerable.Range(0, 40 * RecordedSpans.MaxSpansPerSeries).Select(i => i * 3.0).OrderBy(_ => random.Next()).ToArray();
        foreach (var hour in hours) spans.Record(Records("mosul", hour, hour + 1));

        var recorded = hours.SelectMany(h => new[] { h, h + 1 }).Order().ToArray();
        Assert.Equal(recorded, MayExist(spans, "mosul", recorded).Order());
        // Merging only ever adds: a time never recorded, beyond every span, is still not looked up.
        Assert.Empty(MayExist(spans, "mosul", -1, hours.Max() + 2));
    }
}
