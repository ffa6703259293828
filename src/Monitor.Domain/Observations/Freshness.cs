namespace Monitor.Domain.Observations;

public enum Freshness
{
    Fresh,
    Due,
    Overdue,
    Delinquent,
}

public static class FreshnessRules
{
    /// <summary>
    /// How late a reading is against the indicator's cadence: within one cadence it is fresh, within two due,
    /// within three overdue, and past that delinquent.
    /// </summary>
    public static Freshness Classify(DateTimeOffset observedAt, DateTimeOffset now, TimeSpan cadence)
    {
        if (cadence <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Cadence must be positive.");
        }

        var age = now - observedAt;
        if (age <= cadence) return Freshness.Fresh;
        if (age <= cadence * 2) return Freshness.Due;
        if (age <= cadence * 3) return Freshness.Overdue;
        return Freshness.Delinquent;
    }
}
