using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Monitor.Domain.Observations;
using Monitor.Web.Data;

namespace Monitor.Web.Observations.Ingest;

/// <summary>
/// The durable record of the write path, in one SQLite file: the ingest sequence and who recorded each batch; under
/// InfluxDB also the outbox (batches accepted but not yet confirmed by InfluxDB), conflicts found while draining and
/// batches InfluxDB refused for good. Under the embedded store the file is the observation database itself, so a
/// batch and its readings commit in one transaction.
/// </summary>
/// <remarks>
/// Write-ahead logging with <c>synchronous = FULL</c>: every commit reaches the disk before the client hears 202, so
/// neither <c>kill -9</c> nor a power cut loses an accepted batch. Callers serialise commits (one writer) and group
/// the batches that arrive meanwhile into one commit, so one sync serves many of them. The log is copied into the
/// database (checkpointed) in the background, shortly after writes, rather than by SQLite inside whichever commit
/// takes the log past 1,000 pages: that held the commit, and the clients waiting for its 202, while megabytes of the
/// database were written and synced.
/// </remarks>
public sealed class IngestJournal(string databasePath)
{
    // Computed properties (an observation's Key) repeat what is already there: leave them out of what is stored.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers = { info => { foreach (var p in info.Properties.Where(p => p.Set is null).ToArray()) info.Properties.Remove(p); } },
        },
    };

    /// <summary>Writes that land within this long of each other share one checkpoint.</summary>
    private static readonly TimeSpan CheckpointDelay = TimeSpan.FromMilliseconds(500);

    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
    private long _lastSequence = -1;

    // Writers take turns here: SQLite admits one at a time, and Microsoft.Data.Sqlite retries a refused statement only
    // after sleeping 150 ms, which stalled the drain behind every commit it met (docs/performance.md).
    private readonly Lock _writes = new();
    private int _checkpointDue;
    private int _checkpointing;

    /// <summary>The sequence of the last committed batch (0 before the first).</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence) is var last and >= 0
        ? last
        : throw new InvalidOperationException("The ingest journal is not initialised.");

    public void Initialize()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS ingest_batches (
                sequence    INTEGER PRIMARY KEY,
                batch_id    TEXT    NOT NULL,
                recorded_at INTEGER NOT NULL,
                recorded_by TEXT    NOT NULL,
                channel     TEXT    NOT NULL,
                count       INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS outbox (
                sequence       INTEGER PRIMARY KEY,
                check_deferred INTEGER NOT NULL,
                changes        BLOB    NOT NULL
            );
            CREATE TABLE IF NOT EXISTS ingest_conflicts (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                sequence    INTEGER NOT NULL,
                filed_at    INTEGER NOT NULL,
                proposed    TEXT    NOT NULL,
                existing    TEXT    NOT NULL,
                status      TEXT    NOT NULL DEFAULT 'open',
                resolved_by TEXT,
                resolved_at INTEGER
            );
            CREATE TABLE IF NOT EXISTS submission_keys (
                key      TEXT    PRIMARY KEY,
                sequence INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS dead_letters (
                sequence    INTEGER PRIMARY KEY,
                failed_at   INTEGER NOT NULL,
                reason      TEXT    NOT NULL,
                changes     BLOB    NOT NULL
            );
            """);
        using var last = connection.CreateCommand();
        last.CommandText = "SELECT coalesce(max(sequence), 0) FROM ingest_batches";
        Volatile.Write(ref _lastSequence, (long)last.ExecuteScalar()!);
    }

    /// <summary>Records one batch (its sequence must be <see cref="LastSequence"/> + 1); see the overload for many.</summary>
    public void Commit(IngestBatch batch, Action<SqliteConnection, SqliteTransaction> apply) => Commit([batch], apply);

    /// <summary>
    /// Records the batches (numbered on from <see cref="LastSequence"/>, without gaps) and whatever
    /// <paramref name="apply"/> writes, in one durable transaction.
    /// </summary>
    public void Commit(IReadOnlyList<IngestBatch> batches, Action<SqliteConnection, SqliteTransaction> apply)
    {
        var last = LastSequence;
        for (var i = 0; i < batches.Count; i++)
        {
            if (batches[i].Sequence != last + 1 + i)
                throw new InvalidOperationException($"Batch {batches[i].Sequence} does not follow {last + i}.");
        }

        using var write = BeginWrite();
        var connection = write.Connection;
        using var transaction = connection.BeginTransaction();
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO ingest_batches (sequence, batch_id, recorded_at, recorded_by, channel, count)
                VALUES ($sequence, $batchId, $recordedAt, $recordedBy, $channel, $count)
                """;
            var sequence = insert.Parameters.Add("$sequence", SqliteType.Integer);
            var batchId = insert.Parameters.Add("$batchId", SqliteType.Text);
            var recordedAt = insert.Parameters.Add("$recordedAt", SqliteType.Integer);
            var recordedBy = insert.Parameters.Add("$recordedBy", SqliteType.Text);
            var channel = insert.Parameters.Add("$channel", SqliteType.Text);
            var count = insert.Parameters.Add("$count", SqliteType.Integer);
            foreach (var batch in batches)
            {
                sequence.Value = batch.Sequence;
                batchId.Value = batch.BatchId.ToString();
                recordedAt.Value = batch.RecordedAt.ToUnixTimeMilliseconds();
                recordedBy.Value = batch.RecordedBy;
                channel.Value = batch.Channel;
                count.Value = batch.Changes.Count;
                insert.ExecuteNonQuery();
            }
        }
        foreach (var batch in batches.Where(b => b.SubmissionKey is not null))
        {
            using var remember = connection.CreateCommand();
            remember.Transaction = transaction;
            remember.CommandText = "INSERT INTO submission_keys (key, sequence) VALUES ($key, $sequence)";
            remember.Parameters.AddWithValue("$key", batch.SubmissionKey);
            remember.Parameters.AddWithValue("$sequence", batch.Sequence);
            remember.ExecuteNonQuery();
        }
        apply(connection, transaction);
        transaction.Commit();
        if (batches.Count > 0) Volatile.Write(ref _lastSequence, batches[^1].Sequence);
    }

    /// <summary>Queues the batch for the store, inside <see cref="Commit"/>'s transaction.</summary>
    public static void Enqueue(SqliteConnection connection, SqliteTransaction transaction, IngestBatch batch)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO outbox (sequence, check_deferred, changes) VALUES ($sequence, $deferred, $changes)";
        insert.Parameters.AddWithValue("$sequence", batch.Sequence);
        insert.Parameters.AddWithValue("$deferred", batch.CheckDeferred);
        insert.Parameters.AddWithValue("$changes", Serialize(batch.Changes));
        insert.ExecuteNonQuery();
    }

    /// <summary>The batch a client's submission key committed, if it did: a form re-sending it is answered with that batch.</summary>
    public BatchRecord? FindSubmission(string key)
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence FROM submission_keys WHERE key = $key";
        query.Parameters.AddWithValue("$key", key);
        return query.ExecuteScalar() is long sequence ? FindBatch(sequence) : null;
    }

    /// <summary>Who recorded a batch and when, for the history of readings it wrote.</summary>
    public BatchRecord? FindBatch(long sequence)
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT batch_id, recorded_at, recorded_by, channel FROM ingest_batches WHERE sequence = $sequence";
        query.Parameters.AddWithValue("$sequence", sequence);
        using var reader = query.ExecuteReader();
        return reader.Read()
            ? new BatchRecord(sequence, Guid.Parse(reader.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2), reader.GetString(3))
            : null;
    }

    /// <summary>The outbox in sequence order: what InfluxDB has not confirmed yet.</summary>
    public IReadOnlyList<IngestBatch> LoadOutbox()
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT o.sequence, o.check_deferred, o.changes, b.batch_id, b.recorded_at, b.recorded_by, b.channel
            FROM outbox o JOIN ingest_batches b ON b.sequence = o.sequence ORDER BY o.sequence
            """;
        using var reader = query.ExecuteReader();
        var batches = new List<IngestBatch>();
        while (reader.Read())
        {
            batches.Add(new IngestBatch(
                reader.GetInt64(0), Guid.Parse(reader.GetString(3)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.GetString(5), reader.GetString(6), Deserialize((byte[])reader[2]), CheckDeferred: reader.GetBoolean(1)));
        }
        return batches;
    }

    /// <summary>
    /// Removes batches the store has confirmed. Not synced to disk: should a power cut undo it, the batches are written
    /// again, which changes nothing.
    /// </summary>
    public void Drained(IReadOnlyCollection<long> sequences)
    {
        using var write = BeginWrite();
        var connection = write.Connection;
        Execute(connection, "PRAGMA synchronous = NORMAL;");
        using var delete = connection.CreateCommand();
        delete.CommandText = $"DELETE FROM outbox WHERE sequence IN ({string.Join(',', sequences.Select(s => s.ToString(CultureInfo.InvariantCulture)))})";
        delete.ExecuteNonQuery();
    }

    /// <summary>
    /// Files the colliding items of a deferred batch as conflicts and leaves the rest of it in the outbox, checked, in
    /// one transaction.
    /// </summary>
    public void FileConflicts(IngestBatch remaining, IReadOnlyList<(Observation Proposed, Observation Existing)> conflicts, DateTimeOffset now)
    {
        using var write = BeginWrite();
        var connection = write.Connection;
        using var transaction = connection.BeginTransaction();
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO ingest_conflicts (sequence, filed_at, proposed, existing) VALUES ($sequence, $filedAt, $proposed, $existing)
                """;
            insert.Parameters.AddWithValue("$sequence", remaining.Sequence);
            insert.Parameters.AddWithValue("$filedAt", now.ToUnixTimeMilliseconds());
            var proposed = insert.Parameters.Add("$proposed", SqliteType.Text);
            var existing = insert.Parameters.Add("$existing", SqliteType.Text);
            foreach (var (p, e) in conflicts)
            {
                proposed.Value = JsonSerializer.Serialize(p, Json);
                existing.Value = JsonSerializer.Serialize(e, Json);
                insert.ExecuteNonQuery();
            }
        }
        using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE outbox SET check_deferred = 0, changes = $changes WHERE sequence = $sequence";
            update.Parameters.AddWithValue("$sequence", remaining.Sequence);
            update.Parameters.AddWithValue("$changes", Serialize(remaining.Changes));
            update.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public IReadOnlyList<IngestConflict> Conflicts(bool openOnly)
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = $"{ConflictQuery} {(openOnly ? "WHERE c.status = 'open'" : "")} ORDER BY c.id";
        using var reader = query.ExecuteReader();
        var conflicts = new List<IngestConflict>();
        while (reader.Read()) conflicts.Add(ReadConflict(reader));
        return conflicts;
    }

    public IngestConflict? FindConflict(long id)
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = $"{ConflictQuery} WHERE c.id = $id";
        query.Parameters.AddWithValue("$id", id);
        using var reader = query.ExecuteReader();
        return reader.Read() ? ReadConflict(reader) : null;
    }

    /// <summary>Closes an open conflict; false when it was already closed (by someone else, say).</summary>
    public bool ResolveConflict(long id, ConflictStatus status, string resolvedBy, DateTimeOffset at)
    {
        using var write = BeginWrite();
        var connection = write.Connection;
        using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE ingest_conflicts SET status = $status, resolved_by = $by, resolved_at = $at WHERE id = $id AND status = 'open'
            """;
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$status", status == ConflictStatus.Applied ? "applied" : "discarded");
        update.Parameters.AddWithValue("$by", resolvedBy);
        update.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return update.ExecuteNonQuery() == 1;
    }

    /// <summary>Sets aside a batch the store refuses for good, out of the outbox, in one transaction.</summary>
    public void DeadLetter(IngestBatch batch, string reason, DateTimeOffset now)
    {
        using var write = BeginWrite();
        var connection = write.Connection;
        using var transaction = connection.BeginTransaction();
        using var move = connection.CreateCommand();
        move.Transaction = transaction;
        move.CommandText = """
            INSERT OR REPLACE INTO dead_letters (sequence, failed_at, reason, changes) VALUES ($sequence, $failedAt, $reason, $changes);
            DELETE FROM outbox WHERE sequence = $sequence;
            """;
        move.Parameters.AddWithValue("$sequence", batch.Sequence);
        move.Parameters.AddWithValue("$failedAt", now.ToUnixTimeMilliseconds());
        move.Parameters.AddWithValue("$reason", reason);
        move.Parameters.AddWithValue("$changes", Serialize(batch.Changes));
        move.ExecuteNonQuery();
        transaction.Commit();
    }

    public IReadOnlyList<DeadLetter> DeadLetters()
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT d.sequence, d.failed_at, d.reason, d.changes, b.batch_id, b.recorded_by, b.channel
            FROM dead_letters d LEFT JOIN ingest_batches b ON b.sequence = d.sequence ORDER BY d.sequence
            """;
        using var reader = query.ExecuteReader();
        var letters = new List<DeadLetter>();
        while (reader.Read())
        {
            var changes = Deserialize((byte[])reader[3]);
            letters.Add(new DeadLetter(
                reader.GetInt64(0), reader.IsDBNull(4) ? null : Guid.Parse(reader.GetString(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                changes.Select(c => c.Reading).ToArray()));
        }
        return letters;
    }

    private const string ConflictQuery = """
        SELECT c.id, c.sequence, c.filed_at, c.proposed, c.existing, c.status, c.resolved_by, c.resolved_at, b.recorded_by
        FROM ingest_conflicts c LEFT JOIN ingest_batches b ON b.sequence = c.sequence
        """;

    private static IngestConflict ReadConflict(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
        JsonSerializer.Deserialize<Observation>(reader.GetString(3), Json)!,
        JsonSerializer.Deserialize<Observation>(reader.GetString(4), Json)!,
        reader.GetString(5) switch { "applied" => ConflictStatus.Applied, "discarded" => ConflictStatus.Discarded, _ => ConflictStatus.Open },
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)));

    /// <summary>Changes as the outbox and the dead letters keep them (<see cref="ChangeCodec"/>).</summary>
    private static byte[] Serialize(IReadOnlyList<ObservationChange> changes) => ChangeCodec.Encode(changes);

    private static IReadOnlyList<ObservationChange> Deserialize(byte[] changes)
    {
        if (ChangeCodec.IsCompact(changes)) return ChangeCodec.Decode(changes);

        // Queued by an earlier version, as gzip-compressed JSON.
        using var gzip = new GZipStream(new MemoryStream(changes), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<ObservationChange[]>(gzip, Json) ?? [];
    }

    // Another process on the file (the operator console, say) is waited for by SQLite itself, in short steps.
    private static readonly string ConnectionSettings =
        $"PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; {SqliteBusyTimeout.Pragma(SqliteBusyTimeout.Default)}";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, ConnectionSettings);
        return connection;
    }

    /// <summary>This writer's turn, with a connection; ending it closes the connection and schedules a checkpoint.</summary>
    private WriteTurn BeginWrite()
    {
        _writes.Enter();
        try
        {
            return new WriteTurn(this, Open());
        }
        catch
        {
            _writes.Exit();
            throw;
        }
    }

    private readonly ref struct WriteTurn(IngestJournal journal, SqliteConnection connection)
    {
        public SqliteConnection Connection => connection;

        public void Dispose()
        {
            connection.Dispose();
            journal._writes.Exit();
            journal.CheckpointSoon();
        }
    }

    /// <summary>
    /// Checkpoints the log once the writes of the next moment are in, on the thread pool; writes made while a checkpoint
    /// runs get another. A passive checkpoint never waits for, nor holds up, a writer.
    /// </summary>
    private void CheckpointSoon()
    {
        Volatile.Write(ref _checkpointDue, 1);
        if (Interlocked.CompareExchange(ref _checkpointing, 1, 0) == 0) _ = CheckpointAsync();
    }

    private async Task CheckpointAsync()
    {
        do
        {
            await Task.Delay(CheckpointDelay).ConfigureAwait(false);
            Volatile.Write(ref _checkpointDue, 0);
            try
            {
                using var connection = Open();
                Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (SqliteException)
            {
                // The next write schedules another; until then the log keeps everything, as it would without checkpoints.
            }
            Volatile.Write(ref _checkpointing, 0);
        }
        // A write that came in during the checkpoint found it running and left the next one to it.
        while (Volatile.Read(ref _checkpointDue) == 1 && Interlocked.CompareExchange(ref _checkpointing, 1, 0) == 0);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>Who recorded a batch, when, and through what.</summary>
public sealed record BatchRecord(long Sequence, Guid BatchId, DateTimeOffset RecordedAt, string RecordedBy, string Channel);

public enum ConflictStatus
{
    Open,
    Applied,
    Discarded,
}

/// <summary>
/// A reading accepted during an outage that turned out to collide with one already stored: the stored one was kept,
/// and a Coordinator decides whether the proposed one becomes a correction.
/// </summary>
public sealed record IngestConflict(
    long Id,
    long Sequence,
    DateTimeOffset FiledAt,
    Observation Proposed,
    Observation Existing,
    ConflictStatus Status,
    string? SubmittedBy,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt);

/// <summary>A batch InfluxDB refused for good, kept for an Admin to inspect.</summary>
public sealed record DeadLetter(
    long Sequence,
    Guid? BatchId,
    DateTimeOffset FailedAt,
    string Reason,
    string? RecordedBy,
    string? Channel,
    IReadOnlyList<Observation> Observations);
