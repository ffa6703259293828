namespace Monitor.Domain.Alerts;

/// <summary>
/// What the lifecycle keeps per (rule, site): the active alert (pending or firing), whether the condition held at the
/// last reading, when that reading was, and the recent flips of the condition (for flapping).
/// </summary>
public sealed record AlertSeries(Alert? Active, bool Breaching, DateTimeOffset? LastReadingAt, IReadOnlyList<DateTimeOffset> Flips)
{
    public static readonly AlertSeries Empty = new(null, false, null, []);
}

/// <summary>Something that may change a (rule, site)'s alert.</summary>
public abstract record AlertInput;

/// <summary>A reading of the rule's indicator at the site, already evaluated against the rule.</summary>
/// <param name="Replaces">
/// A correction: the reading replaces the latest one even if it is older (the latest was voided), instead of being
/// ignored as late.
/// </param>
public sealed record ReadingInput(DateTimeOffset At, double? Value, string? State, Condition Condition, bool Replaces = false) : AlertInput;

/// <summary>Time passed: pending periods, flapping windows, acknowledgements and missing reports may have run out.</summary>
public sealed record TickInput : AlertInput
{
    public static readonly TickInput Instance = new();
}

public sealed record AcknowledgeInput(Acknowledgement Acknowledgement) : AlertInput;

/// <summary>The rule no longer watches the site (disabled, deleted, or its scope changed): the active alert resolves.</summary>
public sealed record WithdrawInput : AlertInput
{
    public static readonly WithdrawInput Instance = new();
}

/// <summary>How much flipping makes an alert "flapping": more than <see cref="Limit"/> flips within <see cref="Window"/>.</summary>
public sealed record FlappingSettings(int Limit, TimeSpan Window)
{
    public static readonly FlappingSettings Default = new(4, TimeSpan.FromMinutes(15));
}

/// <param name="Series">The (rule, site)'s state after the input.</param>
/// <param name="Changes">Each alert as it changed, in order; each is persisted with its own sequence and pushed.</param>
public sealed record LifecycleResult(AlertSeries Series, IReadOnlyList<Alert> Changes);

/// <summary>
/// The alert lifecycle of one rule at one site as a pure state machine: (series, input, now) → (series, changes).
/// <list type="bullet">
/// <item>A breach opens an alert: <c>pending</c> when the rule has a <c>for</c> period, which fires once the condition has
/// held that long — on a reading or on a tick, so also when no new reading arrives; otherwise <c>firing</c> at once.</item>
/// <item>A clear resolves it (a pending one without <c>firedAt</c>); a reading between threshold and clear threshold
/// changes nothing.</item>
/// <item>More than <see cref="FlappingSettings.Limit"/> flips within the window keep a firing alert firing with
/// <c>flapping</c> (one change), until the condition has been stable for the window.</item>
/// <item>Missing reports for the rule's no-data period raise one no-data alert, resolved by the next reading.</item>
/// <item>An acknowledgement with an end notifies again when it runs out while the alert is still active.</item>
/// </list>
/// </summary>
public sealed class AlertLifecycle(AlertRule rule, TimeSpan? noDataAfter, FlappingSettings flapping)
{
    public AlertRule Rule => rule;

    public LifecycleResult Apply(string siteId, AlertSeries series, AlertInput input, DateTimeOffset now) => input switch
    {
        ReadingInput reading => OnReading(siteId, series, reading, now),
        TickInput => OnTick(siteId, series, now),
        AcknowledgeInput acknowledge => OnAcknowledge(series, acknowledge.Acknowledgement),
        WithdrawInput => OnWithdraw(series, now),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "Unknown alert input."),
    };

    /// <summary>
    /// The series after these readings (oldest first), each preceded by a tick at its time, as if the lifecycle had run
    /// all along: how a series seen for the first time learns when its current episode began.
    /// </summary>
    public AlertSeries Replay(string siteId, IEnumerable<ReadingInput> readings)
    {
        var series = AlertSeries.Empty;
        foreach (var reading in readings)
        {
            series = Apply(siteId, series, TickInput.Instance, reading.At).Series;
            series = Apply(siteId, series, reading, reading.At).Series;
        }
        return series;
    }

    private LifecycleResult OnReading(string siteId, AlertSeries series, ReadingInput reading, DateTimeOffset now)
    {
        // A late reading (older than the latest) says nothing about the condition now.
        if (!reading.Replaces && series.LastReadingAt is { } last && reading.At < last) return new(series, []);

        var changes = new List<Alert>();
        var active = series.Active;
        if (active is { NoData: true })
        {
            changes.Add(Resolve(active, reading.At));
            active = null;
        }

        var breaching = reading.Condition switch
        {
            Condition.Breach => true,
            Condition.Clear => false,
            _ => series.Breaching,
        };
        var flips = Recent(series.Flips, reading.At);
        if (breaching != series.Breaching && series.LastReadingAt is not null) flips = [.. flips, reading.At];

        if (rule.Operator is not null)
        {
            if (breaching) active = OnBreach(siteId, active, reading, now, changes);
            else if (active is not null) active = OnClear(active, reading, flips, changes);
        }

        return new(new AlertSeries(active, breaching, reading.At, flips), changes);
    }

    private Alert OnBreach(string siteId, Alert? active, ReadingInput reading, DateTimeOffset now, List<Alert> changes)
    {
        var at = Later(now, reading.At);
        if (active is null)
        {
            var pending = rule.For is { } period && period > TimeSpan.Zero;
            var opened = new Alert(
                Alert.IdFor(rule.Id, siteId, reading.At, noData: false), rule.Id, siteId,
                pending ? AlertStatus.Pending : AlertStatus.Firing, Flapping: false, NoData: false,
                reading.Value, reading.State, reading.At, pending ? null : reading.At, ResolvedAt: null, Acknowledgement: null);
            // A breach reported late may already have held for the whole period: one change, straight to firing.
            opened = TryFire(opened, at) ?? opened;
            changes.Add(opened);
            return opened;
        }

        if (TryFire(active with { Value = reading.Value, State = reading.State }, at) is { } fired)
        {
            changes.Add(fired);
            return fired;
        }
        return active;
    }

    private Alert? OnClear(Alert active, ReadingInput reading, IReadOnlyList<DateTimeOffset> flips, List<Alert> changes)
    {
        // A correction may fall back to a reading older than the alert; it cannot have resolved before it began.
        var at = reading.Replaces ? Later(reading.At, active.StartedAt) : reading.At;
        if (active.Status == AlertStatus.Pending)
        {
            changes.Add(Resolve(active with { Value = reading.Value, State = reading.State }, at));
            return null;
        }
        if (flips.Count > flapping.Limit)
        {
            if (active.Flapping) return active;
            var flappingAlert = active with { Flapping = true, Value = reading.Value, State = reading.State };
            changes.Add(flappingAlert);
            return flappingAlert;
        }
        // A flapping alert resolves on a tick once stable for the window, not on the next clear reading.
        if (active.Flapping) return active;
        changes.Add(Resolve(active with { Value = reading.Value, State = reading.State }, at));
        return null;
    }

    private LifecycleResult OnTick(string siteId, AlertSeries series, DateTimeOffset now)
    {
        var changes = new List<Alert>();
        var active = series.Active;
        var flips = Recent(series.Flips, now);

        if (active is { Status: AlertStatus.Pending } && series.Breaching && TryFire(active, now) is { } fired)
        {
            changes.Add(fired);
            active = fired;
        }

        if (active is { Flapping: true } && flips.Count == 0)
        {
            if (series.Breaching)
            {
                active = active with { Flapping = false };
                changes.Add(active);
            }
            else
            {
                changes.Add(Resolve(active, now));
                active = null;
            }
        }

        if (active?.Acknowledgement is { Until: { } until } && until <= now)
        {
            active = active with { Acknowledgement = null };
            changes.Add(active);
        }

        if (active is null && noDataAfter is { } stale && series.LastReadingAt is { } last && now - last >= stale)
        {
            var since = last + stale;
            active = new Alert(
                Alert.IdFor(rule.Id, siteId, since, noData: true), rule.Id, siteId, AlertStatus.Firing, Flapping: false,
                NoData: true, Value: null, State: null, since, since, ResolvedAt: null, Acknowledgement: null);
            changes.Add(active);
        }

        return new(series with { Active = active, Flips = flips }, changes);
    }

    private static LifecycleResult OnAcknowledge(AlertSeries series, Acknowledgement acknowledgement)
    {
        if (series.Active is null) return new(series, []);
        var acknowledged = series.Active with { Acknowledgement = acknowledgement };
        return new(series with { Active = acknowledged }, [acknowledged]);
    }

    private static LifecycleResult OnWithdraw(AlertSeries series, DateTimeOffset now) => series.Active is null
        ? new(series, [])
        : new(series with { Active = null }, [Resolve(series.Active, now)]);

    /// <summary>The pending alert as firing, if its period has passed by <paramref name="at"/>; otherwise null.</summary>
    private Alert? TryFire(Alert alert, DateTimeOffset at)
    {
        if (alert.Status != AlertStatus.Pending || rule.For is not { } period) return null;
        var firesAt = alert.StartedAt + period;
        return at >= firesAt ? alert with { Status = AlertStatus.Firing, FiredAt = firesAt } : null;
    }

    private static Alert Resolve(Alert alert, DateTimeOffset at) =>
        alert with { Status = AlertStatus.Resolved, ResolvedAt = at, Flapping = false };

    /// <summary>The flips still inside the flapping window that ends at <paramref name="at"/>.</summary>
    private IReadOnlyList<DateTimeOffset> Recent(IReadOnlyList<DateTimeOffset> flips, DateTimeOffset at)
    {
        var since = at - flapping.Window;
        return flips.Count == 0 || flips[0] > since ? flips : flips.Where(flip => flip > since).ToArray();
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
