using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The outbox in memory keeps emptied series indexes for reuse: emptied, a series must read as empty.</summary>
public sealed class PendingChangesTests
{
    private static readonly DateTimeOffset Day = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static IngestBatch Batch(long sequence, string siteId, params int[] hours) =>
        new(sequence, Guid.NewGuid(), Day, "reporter", "api",
            hours.Select(h => ObservationChange.Record(new Observation(siteId, "fuel.stations_open_pct", Day.AddHours(h), h, null, null, null))).ToArray());

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
    public void The_index_of_a_series_written_on_is_reused_by_the_next_series_instead_of_growing_a_new_one()
    {
        var pending = new PendingChanges();
        var hours = Enumerable.Range(0, 5_000).ToArray();
        pending.Add(Batch(1, "mosul", hours));
        pending.Remove([1]);
        var kirkuk = Batch(2, "kirkuk", hours);

        var before = GC.GetAllocatedBytesForCurrentThread();
        pending.Add(kirkuk);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Grown from empty, an index of 5,000 readings allocates several hundred kilobytes along the way.
        Assert.InRange(allocated, 0, 16 * 1024);
        Assert.Equal(5_000, pending.Count);
        Assert.Equal(2, pending.Latest(kirkuk.Changes[^1].Key)?.Sequence);
        Assert.Empty(pending.SeriesAt("mosul"));
    }
}
