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
    private readonly string _pragma = $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
