using Monitor.AlertListener;

namespace Monitor.AlertListener.Tests;

public sealed class ChangeLedgerTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();

    [Fact]
    public void Each_change_is_accepted_once_and_moves_the_resume_point()
    {
        var ledger = new ChangeLedger(start: 10);

        Assert.True(ledger.TryAccept(A, 11));
        Assert.False(ledger.TryAccept(A, 11));
        Assert.True(ledger.TryAccept(B, 12));
        Assert.True(ledger.TryAccept(A, 13));
        Assert.Equal(13, ledger.LastSequence);
    }

    [Fact]
    public void Changes_up_to_the_start_were_history_before_the_listener_began()
    {
        var ledger = new ChangeLedger(start: 10);

        Assert.False(ledger.TryAccept(A, 10));
        Assert.False(ledger.TryAccept(A, 3));
        Assert.Equal(10, ledger.LastSequence);
    }

    [Fact]
    public void A_change_pushed_and_resumed_in_either_order_is_printed_once()
    {
        var ledger = new ChangeLedger(start: 0);
        var pushed = new[] { (A, 2L), (B, 3L) };
        var resumed = new[] { (A, 1L), (A, 2L), (B, 3L), (B, 4L) };

        var printed = pushed.Concat(resumed).Where(c => ledger.TryAccept(c.Item1, c.Item2)).Select(c => c.Item2).ToArray();

        Assert.Equal([2L, 3L, 1L, 4L], printed);
        Assert.Equal(4, ledger.LastSequence);
    }

    [Fact]
    public void Memory_is_bounded_and_forgotten_changes_still_count_as_printed()
    {
        var ledger = new ChangeLedger(start: 0, capacity: 3);
        for (var sequence = 1; sequence <= 10; sequence++) Assert.True(ledger.TryAccept(A, sequence));

        Assert.False(ledger.TryAccept(A, 2));
        Assert.False(ledger.TryAccept(A, 7));
        Assert.False(ledger.TryAccept(A, 10));
        Assert.True(ledger.TryAccept(B, 11));
    }

    [Fact]
    public void Changes_outside_the_subscription_move_the_resume_point_without_being_printed()
    {
        var ledger = new ChangeLedger(start: 5);

        ledger.Pass(9);
        ledger.Pass(7);

        Assert.Equal(9, ledger.LastSequence);
        Assert.True(ledger.TryAccept(A, 10));
        Assert.Equal(10, ledger.LastSequence);
    }
}
