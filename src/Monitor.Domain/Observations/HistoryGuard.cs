using System.Globalization;
using System.Runtime.InteropServices;

namespace Monitor.Domain.Observations;

/// <summary>
/// Keeps a write from silently replacing history. Each item of a valid batch is new, the same reading again (a
/// harmless retry, dropped), or a different reading where one already exists (a conflict: the batch is refused and
/// the reporter is pointed at corrections).
/// </summary>
public static class HistoryGuard
{
    public const string CorrectionsPath = "/api/observations/corrections";

    /// <param name="existing">
    /// The readings recorded at the batch's keys; consulted once per distinct key, and not at all when empty (the usual
    /// case).
    /// </param>
    public static GuardOutcome Check(IReadOnlyList<Observation> batch, IReadOnlyDictionary<ObservationKey, Observation> existing)
    {
        var conflicts = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // Made only once an item is left out: usually every item is new, and the batch itself is what to store.
        List<Observation>? fresh = null;
        // Reused by the next batch on this thread: sized for thousands of keys, it would be a large object each time.
        var firstIndexOf = _firstIndexOf ??= [];
        firstIndexOf.Clear();
        firstIndexOf.EnsureCapacity(batch.Count);
        var unchanged = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstIndexOf, item.Key, out var repeated);
            if (repeated)
            {
                fresh ??= KeptBefore(i);
                if (batch[first].SameReadingAs(item)) unchanged++;
                else conflicts[$"[{i}]"] = [$"[{first}] of this batch gives a different reading for the same site, indicator and time."];
                continue;
            }
            first = i;

            if (existing.Count == 0 || !existing.TryGetValue(item.Key, out var recorded))
            {
                fresh?.Add(item);
                continue;
            }
            fresh ??= KeptBefore(i);
            if (recorded.SameReadingAs(item)) unchanged++;
            else conflicts[$"[{i}]"] = [ConflictMessage(recorded)];
        }

        firstIndexOf.Clear();
        return conflicts.Count > 0 ? new GuardOutcome([], 0, conflicts) : new GuardOutcome(fresh ?? batch, unchanged, conflicts);

        // Every item before the first one left out is kept.
        List<Observation> KeptBefore(int index)
        {
            var kept = new List<Observation>(batch.Count);
            for (var j = 0; j < index; j++) kept.Add(batch[j]);
            return kept;
        }
    }

    [ThreadStatic]
    private static Dictionary<ObservationKey, int>? _firstIndexOf;

    /// <summary>What a reporter reads when a reading already exists: what it is, and how to change it instead.</summary>
    public static string ConflictMessage(Observation recorded) =>
        $"A different reading is already recorded for this site, indicator and time: {Describe(recorded)}. "
        + $"History is never overwritten; to change it, POST {CorrectionsPath} with a reason.";

    public static string Describe(Observation reading)
    {
        var what = reading.Value is { } value ? value.ToString("G", CultureInfo.InvariantCulture) : $"'{reading.State}'";
        return string.IsNullOrEmpty(reading.Source) ? what : $"{what} (source '{reading.Source}')";
    }
}

/// <summary>The items to store (none when there are conflicts), how many were already recorded, and conflicts keyed <c>[index]</c>.</summary>
public sealed record GuardOutcome(IReadOnlyList<Observation> New, int Unchanged, IReadOnlyDictionary<string, string[]> Conflicts)
{
    public bool HasConflicts => Conflicts.Count > 0;
}
