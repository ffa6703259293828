using System.Text.Json;
using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

/// <summary>
/// The lifecycle as tables: each row is a list of steps (minutes after a start time, then an input) and the changes
/// the steps must produce, written as "minute:status[+flags]". Every table runs twice: straight through, and with a
/// "restart" before each step (the series is serialised to JSON and read back by a new lifecycle), which must not
/// change a single change: the series record is all the state there is.
/// </summary>
public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AlertRule Below30 = new(
        "fuel-low", "Fuel stations open below 30 %", TestCatalog.FuelStationsOpen, null, null, RuleOperator.Below,
        Threshold: 30, ClearThreshold: null, States: null, BaselineWindow: null, For: null, StaleAfter: null, Severity.Critical, Enabled: true);

    private static readonly AlertRule Below30For60 = Below30 with { For = TimeSpan.FromMinutes(60) };
    private static readonly AlertRule Below30Clear35 = Below30 with { ClearThreshold = 35 };
    private static readonly AlertRule Below30Stale120 = Below30 with { StaleAfter = TimeSpan.FromMinutes(120) };
    private static readonly AlertRule NoDataOnly = Below30 with { Operator = null, Threshold = null, StaleAfter = TimeSpan.FromMinutes(120) };

    public static TheoryData<string, AlertRule, string, string> Tables => new()
    {
        { "fires at once without a for period", Below30, "0:v50 10:v20 20:v25 30:v40", "10:firing 30:resolved" },
        { "pending, then firing on a tick without a new reading", Below30For60, "0:v20 30:tick 59:tick 60:tick 90:tick", "0:pending 60:firing" },
        { "pending fires on a later breaching reading", Below30For60, "0:v20 70:v10", "0:pending 70:firing@60" },
        { "clear while pending resolves without firing", Below30For60, "0:v20 30:v50 100:tick", "0:pending 30:resolved-unfired" },
        { "a late-reported breach older than the period fires at once", Below30For60, "120:v20@0", "120:firing@60" },
        { "hysteresis: between threshold and clear threshold nothing changes", Below30Clear35, "0:v20 10:v32 20:v35 30:v36", "0:firing 30:resolved" },
        { "hysteresis: a hold after a clear does not re-fire", Below30Clear35, "0:v50 10:v32 20:v31", "" },
        { "flapping: the fifth flip keeps the alert firing, once", Below30, "0:v20 1:v50 2:v20 3:v50 4:v20 5:v50 6:v20 7:v50 8:v20",
            "0:firing 1:resolved 2:firing 3:resolved 4:firing 5:firing+flapping" },
        { "flapping ends once stable for the window: resolved if clear", Below30, "0:v20 1:v50 2:v20 3:v50 4:v20 5:v50 10:tick 21:tick",
            "0:firing 1:resolved 2:firing 3:resolved 4:firing 5:firing+flapping 21:resolved" },
        { "flapping ends once stable for the window: still firing if breaching", Below30, "0:v20 1:v50 2:v20 3:v50 4:v20 5:v50 6:v20 21:tick",
            "0:firing 1:resolved 2:firing 3:resolved 4:firing 5:firing+flapping 21:firing" },
        { "flips spread wider than the window never flap", Below30, "0:v20 10:v50 20:v20 30:v50 40:v20 50:v50",
            "0:firing 10:resolved 20:firing 30:resolved 40:firing 50:resolved" },
        { "no data fires once and resolves on the next reading", Below30Stale120, "0:v50 60:tick 120:tick 130:tick 200:tick 210:v50",
            "120:firing+nodata 210:resolved+nodata" },
        { "no data, then a breaching reading: the no-data alert resolves and a new one fires", Below30Stale120, "0:v50 125:tick 130:v20",
            "125:firing+nodata@120 130:resolved+nodata 130:firing" },
        { "a no-data-only rule never fires on values", NoDataOnly, "0:v1 60:v2 180:tick 181:tick", "180:firing+nodata" },
        { "no data is not raised while the condition alert is active", Below30Stale120, "0:v20 300:tick", "0:firing" },
        { "a late reading changes nothing", Below30, "0:v50 10:v60 20:v20@5", "" },
        { "acknowledged until a time: notified again when it runs out while firing", Below30, "0:v20 5:ack@30 20:tick 30:tick 40:tick",
            "0:firing 5:firing+ack 30:firing" },
        { "acknowledgement without an end stays", Below30, "0:v20 5:ack 500:tick", "0:firing 5:firing+ack" },
        { "acknowledging nothing active changes nothing", Below30, "0:v50 5:ack", "" },
        { "withdrawn (rule disabled) resolves the active alert", Below30, "0:v20 5:withdraw 6:withdraw", "0:firing 5:resolved" },
        { "a correction replaces the latest reading even if older", Below30, "0:v50 10:v20 11:fix50@0", "10:firing 11:resolved@10" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Runs_the_table(string description, AlertRule rule, string steps, string expected)
    {
        Assert.Equal(expected, Run(rule, steps, restartBeforeEachStep: false));
        Assert.NotEmpty(description);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Restarting_before_any_step_changes_nothing(string description, AlertRule rule, string steps, string expected)
    {
        Assert.Equal(expected, Run(rule, steps, restartBeforeEachStep: true));
        Assert.NotEmpty(description);
    }

    [Fact]
    public void The_same_episode_gets_the_same_id_and_a_new_episode_a_new_one()
    {
        var lifecycle = new AlertLifecycle(Below30, null, FlappingSettings.Default);
        var first = lifecycle.Apply("mosul", AlertSeries.Empty, Reading(0, 20), Start).Changes.Single();
        var replayed = lifecycle.Apply("mosul", AlertSeries.Empty, Reading(0, 20), Start.AddHours(5)).Changes.Single();
        var series = lifecycle.Apply("mosul", new AlertSeries(first, true, Start, []), Reading(1, 50), Start.AddMinutes(1)).Series;
        var second = lifecycle.Apply("mosul", series, Reading(2, 20), Start.AddMinutes(2)).Changes.Single();

        Assert.Equal(first.Id, replayed.Id);
        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Id, lifecycle.Apply("kirkuk", AlertSeries.Empty, Reading(0, 20), Start).Changes.Single().Id);
    }

    [Fact]
    public void Values_between_readings_do_not_notify_but_a_firing_change_carries_the_latest_value()
    {
        var lifecycle = new AlertLifecycle(Below30For60, null, FlappingSettings.Default);
        var series = lifecycle.Apply("mosul", AlertSeries.Empty, Reading(0, 20), Start).Series;
        var quiet = lifecycle.Apply("mosul", series, Reading(30, 12), Start.AddMinutes(30));
        var fired = lifecycle.Apply("mosul", quiet.Series, Reading(61, 11), Start.AddMinutes(61));

        Assert.Empty(quiet.Changes);
        Assert.Equal(11, fired.Changes.Single().Value);
    }

    private static ReadingInput Reading(int minute, double value) =>
        new(Start.AddMinutes(minute), value, null, RuleCondition.Evaluate(Below30, value, null));

    /// <summary>
    /// Runs the steps and describes every change as "minute:status[+flags]", with "@minute" when an alert starts firing
    /// or resolves at another time than the step's (a period that ran out between readings, a correction).
    /// </summary>
    private static string Run(AlertRule rule, string steps, bool restartBeforeEachStep)
    {
        var indicator = TestCatalog.FuelStationsOpenIndicator with { Cadence = TimeSpan.FromMinutes(60) };
        var lifecycle = new AlertLifecycle(rule, rule.NoDataAfter(indicator), FlappingSettings.Default);
        var series = AlertSeries.Empty;
        var changes = new List<string>();
        var firing = new HashSet<Guid>();
        foreach (var step in steps.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (restartBeforeEachStep)
            {
                series = JsonSerializer.Deserialize<AlertSeries>(JsonSerializer.Serialize(series))!;
                lifecycle = new AlertLifecycle(rule, rule.NoDataAfter(indicator), FlappingSettings.Default);
            }
            var (minute, input) = Parse(rule, step);
            var now = Start.AddMinutes(minute);
            var result = lifecycle.Apply("mosul", series, input, now);
            series = result.Series;
            foreach (var alert in result.Changes)
            {
                changes.Add($"{minute}:{Describe(alert, minute, firstFiring: alert.Status == AlertStatus.Firing && firing.Add(alert.Id))}");
            }
        }
        return string.Join(' ', changes);
    }

    private static string Describe(Alert alert, int minute, bool firstFiring)
    {
        var text = alert.Status switch
        {
            AlertStatus.Resolved when alert.FiredAt is null => "resolved-unfired",
            var status => status.ToString().ToLowerInvariant(),
        };
        if (alert.Flapping) text += "+flapping";
        if (alert.NoData) text += "+nodata";
        if (alert.Acknowledgement is not null) text += "+ack";
        if (firstFiring && alert.FiredAt is { } firedAt && firedAt != Start.AddMinutes(minute))
            text += "@" + (int)(firedAt - Start).TotalMinutes;
        if (alert.ResolvedAt is { } resolvedAt && resolvedAt != Start.AddMinutes(minute))
            text += "@" + (int)(resolvedAt - Start).TotalMinutes;
        return text;
    }

    /// <summary>"10:v20" a reading of 20 at minute 10; "120:v20@0" one reported at 120 for minute 0; "11:fix50@0" a
    /// correction; "5:ack@30" an acknowledgement until minute 30; "30:tick"; "5:withdraw".</summary>
    private static (int Minute, AlertInput Input) Parse(AlertRule rule, string step)
    {
        var parts = step.Split(':');
        var minute = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var (verb, at) = parts[1].Split('@') is [var v, var a] ? (v, (int?)int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)) : (parts[1], null);
        AlertInput input = verb switch
        {
            "tick" => TickInput.Instance,
            "withdraw" => WithdrawInput.Instance,
            "ack" => new AcknowledgeInput(new Acknowledgement("coordinator@example.org", Start.AddMinutes(minute), "on it", at is { } until ? Start.AddMinutes(until) : null)),
            _ when verb.StartsWith("fix", StringComparison.Ordinal) => ReadingOf(rule, double.Parse(verb[3..], System.Globalization.CultureInfo.InvariantCulture), at ?? minute, replaces: true),
            _ => ReadingOf(rule, double.Parse(verb[1..], System.Globalization.CultureInfo.InvariantCulture), at ?? minute, replaces: false),
        };
        return (minute, input);
    }

    private static ReadingInput ReadingOf(AlertRule rule, double value, int minute, bool replaces) =>
        new(Start.AddMinutes(minute), value, null, RuleCondition.Evaluate(rule, value, null), replaces);
}
