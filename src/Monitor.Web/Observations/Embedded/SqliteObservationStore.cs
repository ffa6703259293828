using Microsoft.Data.Sqlite;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Embedded;

/// <summary>
/// The zero-setup store: one SQLite file, one row per current reading keyed by (site, indicator, time in Unix ms)
/// with the sequence of the batch that recorded it, and the versions that corrections superseded in
/// <c>observation_revisions</c>. Downsampling runs in SQL so long ranges never travel to the app row by row.
/// </summary>
public sealed class SqliteObservationStore(string databasePath) : IObservationStore
{
    private const string Range = "site_id = $site AND indicator_id = $indicator AND ts >= $from AND ts <= $to";

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Pooling = true,
    }.ToString();

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS observations (
                site_id      TEXT    NOT NULL,
                indicator_id TEXT    NOT NULL,
                ts           INTEGER NOT NULL,
                value        REAL,
                state        TEXT,
                source       TEXT,
                note         TEXT,
                seq          INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (site_id, indicator_id, ts)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS observations_ts ON observations (ts);
            CREATE TABLE IF NOT EXISTS observation_revisions (
                site_id      TEXT    NOT NULL,
                indicator_id TEXT    NOT NULL,
                ts           INTEGER NOT NULL,
                seq          INTEGER NOT NULL,
                value        REAL,
                state        TEXT,
                source       TEXT,
                note         TEXT,
                recorded_at  INTEGER,
                recorded_by  TEXT,
                reason       TEXT,
                voided       INTEGER NOT NULL,
                PRIMARY KEY (site_id, indicator_id, ts, seq)
            ) WITHOUT ROWID;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);

        // Files from before the ingest sequence existed lack the column that ties a reading to its batch.
        await using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT count(*) FROM pragma_table_info('observations') WHERE name = 'seq'";
        if (Convert.ToInt64(await columns.ExecuteScalarAsync(cancellationToken)) == 0)
        {
            await using var alter = connection.CreateCommand();
            alter.CommandText = "ALTER TABLE observations ADD COLUMN seq INTEGER NOT NULL DEFAULT 0";
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task ApplyAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        Apply(connection, transaction, batches);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Applies batches inside a transaction of the caller's: the ingest journal shares this file, so a batch and its
    /// readings commit together.
    /// </summary>
    public void Apply(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IngestBatch> batches)
    {
        using var upsert = Prepare(connection, transaction, """
            INSERT OR REPLACE INTO observations (site_id, indicator_id, ts, value, state, source, note, seq)
            VALUES ($site, $indicator, $ts, $value, $state, $source, $note, $seq)
            """);
        using var delete = Prepare(connection, transaction, "DELETE FROM observations WHERE site_id = $site AND indicator_id = $indicator AND ts = $ts");
        using var revision = Prepare(connection, transaction, """
            INSERT OR REPLACE INTO observation_revisions
                (site_id, indicator_id, ts, value, state, source, note, seq, recorded_at, recorded_by, reason, voided)
            VALUES ($site, $indicator, $ts, $value, $state, $source, $note, $seq, $recordedAt, $recordedBy, $reason, $voided)
            """);

        foreach (var batch in batches)
        {
            foreach (var change in batch.Changes)
            {
                if (change.Kind != ChangeKind.Record)
                {
                    // The first correction of a reading keeps its original as the first revision.
                    if (change.Previous is { } previous) Execute(revision, previous);
                    Execute(revision, new ObservationVersion(
                        change.Reading, batch.Sequence, batch.RecordedAt, batch.RecordedBy, change.Reason, change.Kind == ChangeKind.Void));
                }

                if (change.Kind == ChangeKind.Void) Execute(delete, change.Reading, batch.Sequence);
                else Execute(upsert, change.Reading, batch.Sequence);
            }
        }
    }

    public async Task<IReadOnlyDictionary<ObservationKey, StoredReading>> FindAsync(
        IReadOnlyCollection<ObservationKey> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ObservationKey, StoredReading>();
        if (keys.Count == 0) return found;
        await using var connection = await OpenAsync(cancellationToken);
        await using var find = connection.CreateCommand();
        find.CommandText = """
            SELECT value, state, source, note, seq FROM observations WHERE site_id = $site AND indicator_id = $indicator AND ts = $ts
            """;
        var site = find.Parameters.Add("$site", SqliteType.Text);
        var indicator = find.Parameters.Add("$indicator", SqliteType.Text);
        var ts = find.Parameters.Add("$ts", SqliteType.Integer);
        find.Prepare();
        foreach (var key in keys)
        {
            site.Value = key.SiteId;
            indicator.Value = key.IndicatorId;
            ts.Value = key.Timestamp.ToUnixTimeMilliseconds();
            using var reader = find.ExecuteReader();
            if (!reader.Read()) continue;
            var reading = new Observation(key.SiteId, key.IndicatorId, key.Timestamp, NullableDouble(reader, 0), NullableString(reader, 1),
                NullableString(reader, 2), NullableString(reader, 3));
            found[key] = new StoredReading(reading, reader.GetInt64(4));
        }
        return found;
    }

    public async Task<IReadOnlyList<ObservationVersion>> RevisionsAsync(ObservationKey key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT value, state, source, note, seq, recorded_at, recorded_by, reason, voided FROM observation_revisions
            WHERE site_id = $site AND indicator_id = $indicator AND ts = $ts ORDER BY seq
            """;
        query.Parameters.AddWithValue("$site", key.SiteId);
        query.Parameters.AddWithValue("$indicator", key.IndicatorId);
        query.Parameters.AddWithValue("$ts", key.Timestamp.ToUnixTimeMilliseconds());
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var versions = new List<ObservationVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var reading = new Observation(key.SiteId, key.IndicatorId, key.Timestamp, NullableDouble(reader, 0), NullableString(reader, 1),
                NullableString(reader, 2), NullableString(reader, 3));
            versions.Add(new ObservationVersion(reading, reader.GetInt64(4),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                NullableString(reader, 6), NullableString(reader, 7), reader.GetBoolean(8)));
        }
        return versions;
    }

    public async Task<IReadOnlyList<Observation>> ReadAsync(SeriesKey series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var query = Command(connection, $"SELECT ts, value, state, source, note FROM observations WHERE {Range} ORDER BY ts",
            new SeriesQuery(series.SiteId, series.IndicatorId, from, to, 1));
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var readings = new List<Observation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            readings.Add(new Observation(series.SiteId, series.IndicatorId, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                NullableDouble(reader, 1), NullableString(reader, 2), NullableString(reader, 3), NullableString(reader, 4)));
        }
        return readings;
    }

    public async Task<IReadOnlyDictionary<SeriesKey, DateTimeOffset>> NewestAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT site_id, indicator_id, max(ts) FROM observations GROUP BY site_id, indicator_id";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var newest = new Dictionary<SeriesKey, DateTimeOffset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            newest[new SeriesKey(reader.GetString(0), reader.GetString(1))] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
        }
        return newest;
    }

    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var from = query.From.ToUnixTimeMilliseconds();
        var width = (long)Downsampling.BucketWidth(query.From, query.To, query.MaxPoints).TotalMilliseconds;

        var count = Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM observations WHERE {Range}", query, cancellationToken));
        var points = new List<SeriesPoint>((int)Math.Min(count, query.MaxPoints));
        if (count <= query.MaxPoints)
        {
            var readings = await ReadAsync(new SeriesKey(query.SiteId, query.IndicatorId), query.From, query.To, cancellationToken);
            return readings.Select(Downsampling.Raw).ToArray();
        }

        // SQLite takes the bare column `state` from the row that holds max(ts): the last state of each bucket.
        var sql = kind == IndicatorKind.Numeric
            ? $"SELECT (ts - $from) / $width AS bucket, avg(value), min(value), max(value), count(value) FROM observations WHERE {Range} GROUP BY bucket ORDER BY bucket"
            : $"SELECT (ts - $from) / $width AS bucket, state, max(ts) FROM observations WHERE {Range} GROUP BY bucket ORDER BY bucket";
        await using var bucketed = Command(connection, sql, query);
        bucketed.Parameters.AddWithValue("$width", width);
        await using var rows = await bucketed.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(from + rows.GetInt64(0) * width);
            points.Add(kind == IndicatorKind.Numeric
                ? new SeriesPoint(start, rows.GetDouble(1), rows.GetDouble(2), rows.GetDouble(3), rows.GetInt32(4))
                : new SeriesPoint(start, State: rows.IsDBNull(1) ? null : rows.GetString(1)));
        }
        return points;
    }

    public async Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Bare columns come from the row holding max(ts) within each indicator.
        command.CommandText = """
            SELECT indicator_id, max(ts), value, state, source, note
            FROM observations WHERE site_id = $site GROUP BY indicator_id ORDER BY indicator_id
            """;
        command.Parameters.AddWithValue("$site", siteId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var latest = new List<Observation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            latest.Add(new Observation(
                siteId,
                reader.GetString(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return latest;
    }

    public async Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(ts), max(ts) FROM observations";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        return new ObservationExtent(
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in new[] { "$site", "$indicator", "$ts", "$value", "$state", "$source", "$note", "$seq", "$recordedAt", "$recordedBy", "$reason", "$voided" })
        {
            if (sql.Contains(name, StringComparison.Ordinal)) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    private static void Execute(SqliteCommand command, Observation o, long sequence)
    {
        Set(command, "$site", o.SiteId);
        Set(command, "$indicator", o.IndicatorId);
        Set(command, "$ts", o.Timestamp.ToUnixTimeMilliseconds());
        Set(command, "$value", o.Value);
        Set(command, "$state", o.State);
        Set(command, "$source", o.Source);
        Set(command, "$note", o.Note);
        Set(command, "$seq", sequence);
        // SQLite runs synchronously anyway; the async call would only add a task per row.
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteCommand revision, ObservationVersion version)
    {
        Set(revision, "$recordedAt", version.RecordedAt?.ToUnixTimeMilliseconds());
        Set(revision, "$recordedBy", version.RecordedBy);
        Set(revision, "$reason", version.Reason);
        Set(revision, "$voided", version.Voided);
        Execute(revision, version.Reading, version.Sequence);
    }

    private static void Set(SqliteCommand command, string name, object? value)
    {
        if (command.Parameters.Contains(name)) command.Parameters[name].Value = value ?? DBNull.Value;
    }

    private static double? NullableDouble(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

    private static string? NullableString(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static SqliteCommand Command(SqliteConnection connection, string sql, SeriesQuery query)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$site", query.SiteId);
        command.Parameters.AddWithValue("$indicator", query.IndicatorId);
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        return command;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, SeriesQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, query);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
