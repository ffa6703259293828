using Monitor.Domain.Observations;

namespace Monitor.Domain.Tests.Observations;

public sealed class HistoryGuardTests
{
    private static readonly DateTimeOffset From = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static Observation Reading(int hour, double value, string site = "mosul") =>
        new(site, "fuel.stations_open_pct", From.AddHours(hour), value, null, "field team", null);

    private static Dictionary<ObservationKey, Observation> Recorded(params Observation[] readings) =>
        readings.ToDictionary(r => r.Key);

    [Fact]
    public void A_batch_of_new_readings_is_stored_whole_in_its_order()
    {
        var batch = new[] { Reading(2, 20), Reading(1, 10), Reading(1, 11, site: "tal-afar") };

        var outcome = HistoryGuard.Check(batch, Recorded(Reading(0, 5)));

        Assert.False(outcome.HasConflicts);
        Assert.Equal(batch, outcome.New);
        Assert.Equal(0, outcome.Unchanged);
    }

    [Fact]
    public void Readings_already_recorded_or_repeated_identically_are_left_out_and_counted()
    {
        var batch = new[] { Reading(1, 10), Reading(2, 20), Reading(3, 30), Reading(4, 40), Reading(2, 20), Reading(5, 50) };

        var outcome = HistoryGuard.Check(batch, Recorded(Reading(3, 30)));

        Assert.False(outcome.HasConflicts);
        Assert.Equal([batch[0], batch[1], batch[3], batch[5]], outcome.New);
        Assert.Equal(2, outcome.Unchanged);
    }

    [Fact]
    public void A_different_reading_where_one_is_recorded_refuses_the_batch_and_names_the_recorded_one()
    {
        var batch = new[] { Reading(1, 10), Reading(2, 100) };

        var outcome = HistoryGuard.Check(batch, Recorded(Reading(2, 12.5)));

        Assert.True(outcome.HasConflicts);
        Assert.Empty(outcome.New);
        var message = Assert.Single(Assert.Single(outcome.Conflicts, c => c.Key == "[1]").Value);
        Assert.Contains("12.5 (source 'field team')", message);
        Assert.Contains(HistoryGuard.CorrectionsPath, message);
    }

    [Fact]
    public void Two_different_readings_for_one_key_in_a_batch_refuse_it_naming_the_first()
    {
        var batch = new[] { Reading(1, 10), Reading(2, 20), Reading(1, 11) };

        var outcome = HistoryGuard.Check(batch, Recorded());

        Assert.Empty(outcome.New);
        var message = Assert.Single(Assert.Single(outcome.Conflicts).Value);
        Assert.Equal("[2]", outcome.Conflicts.Keys.Single());
        Assert.StartsWith("[0] of this batch", message);
    }
}
