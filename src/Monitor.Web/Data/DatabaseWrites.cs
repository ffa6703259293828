using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Monitor.Web.Data;

/// <summary>
/// What the frequent writers of <c>monitor.db</c> (the audit trail for every accepted batch, the alert store for every
/// alert change) share: turns, and plain connections.
/// <para>
/// Turns: SQLite admits one writer at a time and has the others retry after sleeping 1, 2, 5, 10, 15 … ms (its busy
/// handler), so a writer meeting another could wait tens of milliseconds longer than the other took; queued here, it
/// starts as soon as the other commits. Another process on the same file still meets SQLite's busy handler.
/// </para>
/// <para>
/// Plain connections: an Entity Framework context per write cost these writers more than the write itself. Values are
/// written in the form the context's model reads (<see cref="MonitorDbContext"/>): times as its 64-bit binary form,
/// GUIDs as upper-case text.
/// </para>
/// </summary>
public sealed class DatabaseWrites(IDbContextFactory<MonitorDbContext> dbFactory)
{
    private static readonly DateTimeOffsetToBinaryConverter TimeForm = new();

    private readonly SemaphoreSlim _turn = new(1, 1);
    private string? _connectionString;

    /// <summary>Waits for this writer's turn; disposing the result ends it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        return new Turn(_turn);
    }

    /// <summary>An open connection that waits for other processes' writes as the context's connections do.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString ??= ReadConnectionString());
        connection.Open();
        SqliteBusyTimeout.Apply(connection, SqliteBusyTimeout.Default);
        return connection;
    }

    /// <summary>A command in <paramref name="transaction"/>, to be bound with <see cref="Bind"/> for each row.</summary>
    public static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Binds one row's values (as <see cref="Stored(DateTimeOffset)"/> and the others give them) to a command.</summary>
    public static SqliteCommand Bind(SqliteCommand command, params (string Name, object Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public static long Stored(DateTimeOffset at) => (long)TimeForm.ConvertToProvider(at)!;

    public static object Stored(DateTimeOffset? at) => at is { } value ? Stored(value) : DBNull.Value;

    public static string Stored(Guid id) => id.ToString().ToUpperInvariant();

    public static object Stored(string? text) => (object?)text ?? DBNull.Value;

    private string ReadConnectionString()
    {
        using var db = dbFactory.CreateDbContext();
        return db.Database.GetConnectionString() ?? throw new InvalidOperationException("The database has no connection string.");
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
