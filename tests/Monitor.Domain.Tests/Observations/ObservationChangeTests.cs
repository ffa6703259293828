using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Observations;

public sealed class ObservationChangeTests
{
    private static readonly DateTimeOffset From = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static Observation Reading(int hour, double value) =>
        new("mosul", "fuel.stations_open_pct", From.AddHours(hour), value, null, "field team", null);

    [Fact]
    public void New_readings_list_as_record_changes_in_their_order_by_index_and_in_turn()
    {
        var readings = new List<Observation> { Reading(2, 20), Reading(1, 10), Reading(3, 30) };

        var changes = ObservationChange.Records(readings);

        ObservationChange[] expected = [.. readings.Select(r => new ObservationChange(ChangeKind.Record, r))];
        Assert.Equal(expected, changes);
        Assert.Equal(expected, Enumerable.Range(0, changes.Count).Select(i => changes[i]));
        Assert.Equal(expected[1].Key, changes[1].Key);
    }

    [Fact]
    public void The_changes_of_a_batch_stay_as_they_were_when_the_readings_list_changes_afterwards()
    {
        var readings = new List<Observation> { Reading(1, 10), Reading(2, 20) };
        var changes = ObservationChange.Records(readings);

        readings[0] = Reading(1, 99);
        readings.Add(Reading(3, 30));

        Assert.Equal([10.0, 20.0], changes.Select(c => c.Reading.Value!.Value));
    }
}
