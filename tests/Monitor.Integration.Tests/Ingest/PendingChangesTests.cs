using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The outbox in memory keeps each series' index once it has one: emptied, it must read as empty.</summary>
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
}
