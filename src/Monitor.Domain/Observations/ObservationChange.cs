namespace Monitor.Domain.Observations;

/// <summary>What a change does to the reading at its key.</summary>
public enum ChangeKind
{
    /// <summary>A new reading where there was none (or the same reading again).</summary>
    Record,

    /// <summary>Replaces the reading at the key; the earlier version stays readable in its history.</summary>
    Correct,

    /// <summary>Withdraws the reading at the key; charts no longer show it, its history keeps it.</summary>
    Void,
}

/// <summary>
/// One change to the observation record. History is never edited in place: a correction or void names the version it
/// supersedes (<see cref="Previous"/>), so a store can keep every version.
/// </summary>
/// <param name="Reading">The reading after the change; for <see cref="ChangeKind.Void"/>, the voided reading.</param>
/// <remarks>
/// A value, not an object: a batch of new readings lists its changes through <see cref="Records"/>, which makes each one
/// as it is read, so queuing thousands of readings adds no object per reading.
/// </remarks>
public readonly record struct ObservationChange(ChangeKind Kind, Observation Reading, string? Reason = null, ObservationVersion? Previous = null)
{
    public ObservationKey Key => Reading.Key;

    public static ObservationChange Record(Observation reading) => new(ChangeKind.Record, reading);

    /// <summary>New readings as <see cref="ChangeKind.Record"/> changes, in their order (a copy of the list, not a view of it).</summary>
    public static IReadOnlyList<ObservationChange> Records(IEnumerable<Observation> readings) => new RecordList([.. readings]);

    private sealed class RecordList(Observation[] readings) : IReadOnlyList<ObservationChange>
    {
        public ObservationChange this[int index] => Record(readings[index]);

        public int Count => readings.Length;

        public IEnumerator<ObservationChange> GetEnumerator()
        {
            foreach (var reading in readings) yield return Record(reading);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>One version of a reading as its history lists it.</summary>
/// <param name="Sequence">The ingest sequence of the batch that recorded this version.</param>
public sealed record ObservationVersion(
    Observation Reading,
    long Sequence,
    DateTimeOffset? RecordedAt,
    string? RecordedBy,
    string? Reason = null,
    bool Voided = false);
