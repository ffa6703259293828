using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// The outbox in memory indexes each batch by series and time: the last queued change at a key decides it, whatever
/// order batches were queued, confirmed or replaced in, and however a batch orders its readings.
/// </summary>
public sealed class PendingChangesTests
{
    private const string Indicator = "fuel.stations_open_pct";
    private static readonly DateTimeOffset Day = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static IngestBatch Batch(long sequence, string siteId, params int[] hours) =>
        new(sequence, Guid.NewGuid(), Day, "reporter", "api",
            hours.Select(h => ObservationChange.Record(Reading(siteId, h, value: sequence * 100 + h))).ToArray());

    private static Observation Reading(string siteId, int hour, double value = 1) => new(siteId, Indicator, Day.AddHours(hour), value, null, null, null);

    private static ObservationKey Key(string siteId, int hour) => Reading(siteId, hour).Key;

    [Fact]
    public void A_series_whose_queued_readings_were_all_written_reads_as_not_queued_and_queues_again()
    {
        var pending = new PendingChanges();
        var mosul = Batch(1, "mosul", 1, 2, 3);
        pending.Add(mosul);
        pending.Add(Batch(2, "kirkuk", 1));

        pending.Remove([1]);

        Assert.Equal(1, pending.Count);
        Assert.Empty(pending.SeriesAt("mosul"));
        Assert.Single(pending.SeriesAt("kirkuk"));
        Assert.Null(pending.Latest(mosul.Changes[0].Key));
        Assert.Empty(pending.InRange(mosul.Changes[0].Key.Series, Day, Day.AddDays(1)));
        Assert.Equal((Day.AddHours(1), Day.AddHours(1)), pending.Extent());

        var again = Batch(3, "mosul", 2);
        pending.Add(again);

        Assert.Single(pending.SeriesAt("mosul"));
        Assert.Equal(3, pending.Latest(again.Changes[0].Key)?.Sequence);
        Assert.Equal([Day.AddHours(2)], pending.InRange(again.Changes[0].Key.Series, Day, Day.AddDays(1)).Select(c => c.Change.Key.Timestamp));
    }

    [Fact]
    public void Where_queued_batches_share_a_series_span_the_later_batch_decides_each_key_until_it_is_written()
    {
        var pending = new PendingChanges();
        pending.Add(Batch(1, "mosul", 0, 2, 4));
        pending.Add(Batch(2, "mosul", 1, 2, 3));
        pending.Add(Batch(3, "kirkuk", 2));
        var asked = Enumerable.Range(0, 6).Select(h => Reading("mosul", h)).Append(Reading("kirkuk", 2)).Append(Reading("erbil", 2)).ToArray();

        Assert.Equal([1, 2, 2, 2, 1, null, 3, null], pending.Latest(asked).Select(c => c?.Sequence));
        Assert.Equal([1L, 2L], pending.At(Key("mosul", 2)).Select(c => c.Sequence));
        Assert.Equal(202, pending.Latest(Key("mosul", 2))?.Change.Reading.Value);
        Assert.Equal(
            [(0, 1L), (1, 2L), (2, 2L), (3, 2L), (4, 1L)],
            pending.InRange(Key("mosul", 0).Series, Day, Day.AddHours(4)).Select(c => (c.Change.Key.Timestamp.Hour, c.Sequence)).OrderBy(c => c.Hour));

        pending.Remove([2]);

        Assert.Equal([1, null, 1, null, 1, null, 3, null], pending.Latest(asked).Select(c => c?.Sequence));
        Assert.Equal(102, pending.Latest(Key("mosul", 2))?.Change.Reading.Value);
        Assert.Equal(4, pending.Count);
        // None of these is queued: nothing as large as the batch is made.
        Assert.Empty(pending.Latest([Reading("mosul", 1), Reading("mosul", 5), Reading("erbil", 2)]));
    }

    [Fact]
    public void A_batch_that_sends_a_series_out_of_time_order_is_found_at_every_time()
    {
        var pending = new PendingChanges();
        var batch = Batch(1, "mosul", 5, 1, 3, 0);
        pending.Add(batch);
        pending.Add(Batch(2, "mosul", 2));

        foreach (var change in batch.Changes) Assert.Equal(change, pending.Latest(change.Key)?.Change);
        Assert.Equal([1, null, 1, null, 1], pending.Latest([Reading("mosul", 1), Reading("mosul", 4), Reading("mosul", 3), Reading("mosul", 6), Reading("mosul", 0)]).Select(c => c?.Sequence));
        Assert.Equal([0, 1, 3], pending.InRange(Key("mosul", 0).Series, Day, Day.AddHours(3)).Where(c => c.Sequence == 1).Select(c => c.Change.Key.Timestamp.Hour).Order());
        Assert.Equal((Day, Day.AddHours(5)), pending.Extent());
    }

    [Fact]
    public void A_replaced_batch_keeps_its_place_in_sequence_order()
    {
        var pending = new PendingChanges();
        pending.Add(Batch(1, "mosul", 1, 2));
        pending.Add(Batch(2, "mosul", 1));

        pending.Replace(Batch(1, "mosul", 1));

        Assert.Equal(2, pending.Latest(Key("mosul", 1))?.Sequence);
        Assert.Null(pending.Latest(Key("mosul", 2)));
        Assert.Equal([1L, 2L], pending.At(Key("mosul", 1)).Select(c => c.Sequence));
        Assert.Equal(2, pending.Count);
    }

    [Fact]
    public void A_voided_reading_leaves_the_extent_of_queued_readings()
    {
        var pending = new PendingChanges();
        var reading = Reading("mosul", 5);
        pending.Add(Batch(1, "mosul", 1, 5));
        pending.Add(new IngestBatch(2, Guid.NewGuid(), Day, "coordinator", "api",
            [new ObservationChange(ChangeKind.Void, reading, "typo", new ObservationVersion(reading, 1, Day, "reporter"))]));

        Assert.Equal((Day.AddHours(1), Day.AddHours(1)), pending.Extent());
        Assert.Equal(ChangeKind.Void, pending.Latest(reading.Key)?.Change.Kind);
    }

    [Fact]
    public void Queuing_a_batch_costs_no_object_per_reading()
    {
        var pending = new PendingChanges();
        var sites = Enumerable.Range(0, 50).Select(s => $"site-{s}").ToArray();
        IngestBatch Hours(long sequence, int from) => new(sequence, Guid.NewGuid(), Day, "reporter", "api",
            Enumerable.Range(from, 100).SelectMany(h => sites.Select(s => ObservationChange.Record(Reading(s, h)))).ToArray());
        pending.Add(Hours(1, 0));
        var batch = Hours(2, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        pending.Add(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 5,000 readings of 50 series: their positions (20 KB) and a run per series. An index entry per reading was
        // ten times that, kept until InfluxDB confirmed the batch.
        Assert.InRange(allocated, 0, 32 * 1024);
        Assert.Equal(10_000, pending.Count);
        Assert.Equal(2, pending.Latest(batch.Changes[^1].Key)?.Sequence);
    }
}
