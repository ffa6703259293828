namespace Monitor.Web.Data;

/// <summary>
/// Lets this app's frequent writers of <c>monitor.db</c> (the audit trail and the alert store) take turns in memory.
/// SQLite admits one writer at a time and has the others retry after sleeping 1, 2, 5, 10, 15 … ms (its busy
/// handler), so a writer meeting another could wait tens of milliseconds longer than the other took; queued here, it
/// starts as soon as the other commits. Another process on the same file still meets SQLite's busy handler.
/// </summary>
public sealed class DatabaseWriteGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for this writer's turn; disposing the result ends it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) turn.Release();
        }
    }
}
