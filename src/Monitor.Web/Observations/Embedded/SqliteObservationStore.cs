using Microsoft.Data.Sqlite;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Embedded;

/// <summary>
/// The zero-setup store: one SQLite file, one row per observation keyed by (site, indicator, time in Unix ms).
/// Downsampling runs in SQL so long ranges never travel to the app row by row.
/// </summary>
public sealed class SqliteObservationStore(string databasePath) : IObservationStore
{
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
                PRIMARY KEY (site_id, indicator_id, ts)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS observations_ts ON observations (ts);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task WriteAsync(IReadOnlyList<Observation> batch, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            // In WAL mode NORMAL still survives an app crash (kill -9); only a power loss may undo the last commits.
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO observations (site_id, indicator_id, ts, value, state, source, note)
            VALUES ($site, $indicator, $ts, $value, $state, $source, $note)
            """;
        var site = command.Parameters.Add("$site", SqliteType.Text);
        var indicator = command.Parameters.Add("$indicator", SqliteType.Text);
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var value = command.Parameters.Add("$value", SqliteType.Real);
        var state = command.Parameters.Add("$state", SqliteType.Text);
        var source = command.Parameters.Add("$source", SqliteType.Text);
        var note = command.Parameters.Add("$note", SqliteType.Text);
        command.Prepare();

        foreach (var o in batch)
        {
            site.Value = o.SiteId;
            indicator.Value = o.IndicatorId;
            ts.Value = o.Timestamp.ToUnixTimeMilliseconds();
            value.Value = (object?)o.Value ?? DBNull.Value;
            state.Value = (object?)o.State ?? DBNull.Value;
            source.Value = (object?)o.Source ?? DBNull.Value;
            note.Value = (object?)o.Note ?? DBNull.Value;
            // SQLite runs synchronously anyway; the async call would only add a task per row.
            command.ExecuteNonQuery();
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        const string range = "site_id = $site AND indicator_id = $indicator AND ts >= $from AND ts <= $to";
        var from = query.From.ToUnixTimeMilliseconds();
        var width = (long)Downsampling.BucketWidth(query.From, query.To, query.MaxPoints).TotalMilliseconds;

        var count = Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM observations WHERE {range}", query, cancellationToken));
        var points = new List<SeriesPoint>((int)Math.Min(count, query.MaxPoints));
        if (count <= query.MaxPoints)
        {
            await using var raw = Command(connection, $"SELECT ts, value, state, source, note FROM observations WHERE {range} ORDER BY ts", query);
            await using var reader = await raw.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                points.Add(new SeriesPoint(
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                    Value: reader.IsDBNull(1) ? null : reader.GetDouble(1),
                    State: reader.IsDBNull(2) ? null : reader.GetString(2),
                    Source: reader.IsDBNull(3) ? null : reader.GetString(3),
                    Note: reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
            return points;
        }

        // SQLite takes the bare column `state` from the row that holds max(ts): the last state of each bucket.
        var sql = kind == IndicatorKind.Numeric
            ? $"SELECT (ts - $from) / $width AS bucket, avg(value), min(value), max(value), count(value) FROM observations WHERE {range} GROUP BY bucket ORDER BY bucket"
            : $"SELECT (ts - $from) / $width AS bucket, state, max(ts) FROM observations WHERE {range} GROUP BY bucket ORDER BY bucket";
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
