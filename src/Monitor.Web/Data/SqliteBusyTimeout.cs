using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Monitor.Web.Data;

/// <summary>
/// Lets SQLite itself wait for the write lock (it retries after 1, 2, 5, 10… ms) before reporting the database busy.
/// Without it Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms on a thread-pool thread, so two
/// writers meeting on <c>monitor.db</c> cost the loser 150 ms and, under load, starve the thread pool.
/// </summary>
public sealed class SqliteBusyTimeout(TimeSpan timeout) : DbConnectionInterceptor
{
    /// <summary>How long a writer waits for another before the database counts as busy.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>Sets the wait on a connection opened without Entity Framework.</summary>
    public static void Apply(DbConnection connection, TimeSpan timeout)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma(timeout);
        command.ExecuteNonQuery();
    }

    /// <summary>The statement that sets the wait, for connections that set several things at once.</summary>
    public static string Pragma(TimeSpan timeout) => $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection, timeout);

    // Microsoft.Data.Sqlite runs its async calls synchronously anyway.
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection, timeout);
        return Task.CompletedTask;
    }
}
