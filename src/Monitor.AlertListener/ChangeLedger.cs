namespace Monitor.AlertListener;

/// <summary>
/// Which changes have been printed: each one once, by (id, sequence), however often it arrives (pushed live, returned
/// again by <c>Resume</c>, or both). <see cref="LastSequence"/> is where the next <c>Resume</c> starts.
/// </summary>
/// <remarks>
/// Memory stays bounded: only the most recent <c>capacity</c> changes are remembered. Changes are printed in sequence
/// order, so one older than the oldest remembered is either printed already or before the start, and is refused too.
/// </remarks>
public sealed class ChangeLedger(long start, int capacity = 10_000)
{
    private readonly HashSet<(Guid Id, long Sequence)> _seen = [];
    private readonly Queue<(Guid Id, long Sequence)> _order = new();
    private long _floor = start;

    /// <summary>The highest sequence accepted or passed over, or the start while there is none.</summary>
    public long LastSequence { get; private set; } = start;

    /// <summary>True the first time a change is offered (print it); false for a repeat or one from before the start.</summary>
    public bool TryAccept(Guid id, long sequence)
    {
        if (sequence <= _floor || !_seen.Add((id, sequence))) return false;
        _order.Enqueue((id, sequence));
        if (_order.Count > capacity)
        {
            var forgotten = _order.Dequeue();
            _seen.Remove(forgotten);
            _floor = Math.Max(_floor, forgotten.Sequence);
        }
        LastSequence = Math.Max(LastSequence, sequence);
        return true;
    }

    /// <summary>A change outside the subscription went by: the next <c>Resume</c> need not return it again.</summary>
    public void Pass(long sequence) => LastSequence = Math.Max(LastSequence, sequence);
}
