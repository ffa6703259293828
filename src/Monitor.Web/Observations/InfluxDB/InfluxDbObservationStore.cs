using System.Text;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// Observations in InfluxDB over its v1 HTTP API (line protocol to /write, InfluxQL to /query), which InfluxDB 1.x,
/// 2.x (compatibility API) and 3.x all serve. Transport in <see cref="InfluxTransport"/>, statements in
/// <see cref="InfluxQl"/>, points in <see cref="InfluxMapping"/>; schema and queries: docs/influxdb-schema.md.
/// </summary>
/// <param name="client">Gives the HTTP client for each request (in the app, from <see cref="IHttpClientFactory"/>).</param>
public sealed partial class InfluxDbObservationStore(Func<HttpClient> client, InfluxDbOptions options, ILogger<InfluxDbObservationStore>? logger = null)
    : IObservationStore
{
    private readonly InfluxTransport influx = new(client, options);

    /// <summary>Lines per write, InfluxDB's own guidance for batch size.</summary>
    public const int LinesPerWrite = 5_000;

    // Long notes could make 5,000 lines large: the cap keeps a write under the smallest default body limit among
    // InfluxDB versions (10 MiB in 3.x; 25 MB in 1.x), with room for the line that crosses it.
    private const int BytesPerWrite = 9_000_000;

    // Statements per request when looking up readings of many series at once.
    private const int SeriesPerLookup = 100;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // InfluxDB 2.x and 3.x (and 1.x users without admin rights) answer but do not create databases over this API;
        // there the bucket or database is provisioned beforehand, and a missing one is reported on the first write.
        var refusal = await influx.TryQueryAsync(InfluxQl.CreateDatabase(influx.Database), cancellationToken);
        if (refusal is not null && logger is not null) LogCannotCreateDatabase(logger, influx.Database, refusal);
    }

    public async Task ApplyAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        using var body = new LineBuffer();
        StringBuilder? revisions = null;
        var lines = 0;
        foreach (var batch in batches)
        {
            foreach (var change in batch.Changes)
            {
                if (change.Kind != ChangeKind.Record)
                {
                    revisions ??= new StringBuilder();
                    // The first correction of a reading keeps its original as the first revision; rewriting it later is harmless.
                    if (change.Previous is { } previous)
                    {
                        InfluxMapping.AppendRevision(revisions, previous);
                        lines++;
                    }
                    InfluxMapping.AppendRevision(revisions, new ObservationVersion(
                        change.Reading, batch.Sequence, batch.RecordedAt, batch.RecordedBy, change.Reason, change.Kind == ChangeKind.Void));
                    lines++;
                    InfluxMapping.Append(body, revisions);
                    revisions.Clear();
                }

                if (change.Kind == ChangeKind.Void)
                {
                    // The revisions go first, so a void interrupted here is repeated whole on the next attempt.
                    await FlushAsync();
                    var key = change.Key;
                    using var _ = await influx.QueryAsync(InfluxQl.Delete(key.Timestamp), InfluxQl.SeriesParameters(key.SiteId, key.IndicatorId),
                        cancellationToken);
                    continue;
                }

                InfluxMapping.AppendLine(body, change.Reading, batch.Sequence);
                if (++lines >= LinesPerWrite || body.Length >= BytesPerWrite) await FlushAsync();
            }
        }
        await FlushAsync();

        async Task FlushAsync()
        {
            if (lines == 0) return;
            await influx.WriteAsync(body, cancellationToken);
            body.Clear();
            lines = 0;
        }
    }

    public async Task<IReadOnlyDictionary<ObservationKey, StoredReading>> FindAsync(
        IReadOnlyCollection<ObservationKey> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ObservationKey, StoredReading>();
        var wanted = keys.ToHashSet();
        foreach (var chunk in keys.GroupBy(k => k.Series).Chunk(SeriesPerLookup))
        {
            // One statement per series over the span of its asked timestamps; rows outside the asked set are ignored.
            var statements = new List<string>();
            var parameters = new Dictionary<string, string>();
            foreach (var (series, i) in chunk.Select((s, i) => (s, i)))
            {
                var suffix = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                statements.Add(InfluxQl.Raw(InfluxQl.SeriesRange(series.Min(k => k.Timestamp), series.Max(k => k.Timestamp), suffix)));
                foreach (var (name, value) in InfluxQl.SeriesParameters(series.Key.SiteId, series.Key.IndicatorId, suffix)) parameters[name] = value;
            }

            using var results = await influx.QueryAsync(string.Join("; ", statements), parameters, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                var series = chunk[i].Key;
                foreach (var row in results.Rows(i))
                {
                    var reading = InfluxMapping.ReadObservation(row, series.SiteId, series.IndicatorId);
                    if (wanted.Contains(reading.Key)) found[reading.Key] = new StoredReading(reading, row.GetInt64("batch"));
                }
            }
        }
        return found;
    }

    public async Task<IReadOnlyList<ObservationVersion>> RevisionsAsync(ObservationKey key, CancellationToken cancellationToken)
    {
        using var results = await influx.QueryAsync(InfluxQl.RevisionsAt(key.Timestamp), InfluxQl.SeriesParameters(key.SiteId, key.IndicatorId),
            cancellationToken);
        return results.Rows(0).Select(row => InfluxMapping.ReadRevision(row, key.SiteId, key.IndicatorId)).OrderBy(v => v.Sequence).ToArray();
    }

    public async Task<IReadOnlyList<Observation>> ReadAsync(SeriesKey series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        using var raw = await influx.QueryAsync(InfluxQl.Raw(InfluxQl.SeriesRange(from, to)),
            InfluxQl.SeriesParameters(series.SiteId, series.IndicatorId), cancellationToken);
        return raw.Rows(0).Select(row => InfluxMapping.ReadObservation(row, series.SiteId, series.IndicatorId)).ToArray();
    }

    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(query.SiteId) || string.IsNullOrEmpty(query.IndicatorId)) return [];

        var range = InfluxQl.SeriesRange(query.From, query.To);
        var parameters = InfluxQl.SeriesParameters(query.SiteId, query.IndicatorId);

        // Every point written here carries `state`, so counting it counts readings of either kind.
        long count;
        using (var counted = await influx.QueryAsync(InfluxQl.Count(range), parameters, cancellationToken))
        {
            count = counted.Rows(0).Select(row => row.GetInt64("count")).FirstOrDefault();
        }

        if (count <= query.MaxPoints)
        {
            var readings = await ReadAsync(new SeriesKey(query.SiteId, query.IndicatorId), query.From, query.To, cancellationToken);
            return readings.Select(Downsampling.Raw).ToArray();
        }

        var from = query.From.ToUnixTimeMilliseconds();
        var width = (long)Downsampling.BucketWidth(query.From, query.To, query.MaxPoints).TotalMilliseconds;
        var offset = InfluxQl.BucketOffset(from, width);
        if (kind == IndicatorKind.Numeric)
        {
            using var buckets = await influx.QueryAsync(InfluxQl.NumericBuckets(range, width, offset), parameters, cancellationToken);
            return buckets.Rows(0)
                .Select(row => new SeriesPoint(
                    row.GetTime(), row.GetDouble("mean"), row.GetDouble("min"), row.GetDouble("max"), (int)row.GetInt64("count")))
                .ToArray();
        }

        using var states = await influx.QueryAsync(InfluxQl.StateBuckets(range, width, offset), parameters, cancellationToken);
        return states.Rows(0).Select(row => new SeriesPoint(row.GetTime(), State: InfluxMapping.EmptyAsNull(row.GetString("last")))).ToArray();
    }

    public async Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(siteId)) return [];

        using var results = await influx.QueryAsync(InfluxQl.LatestPerIndicator,
            new Dictionary<string, string> { ["site"] = LineProtocol.EncodeTagValue(siteId) }, cancellationToken);
        return results.Rows(0)
            .Select(row => InfluxMapping.ReadObservation(row, siteId, LineProtocol.DecodeTagValue(row.Tag("indicator") ?? "")))
            .OrderBy(o => o.IndicatorId, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken)
    {
        using var results = await influx.QueryAsync(InfluxQl.Extent, parameters: null, cancellationToken);
        var first = results.Rows(0).Select(row => (DateTimeOffset?)row.GetTime()).FirstOrDefault();
        var last = results.Rows(1).Select(row => (DateTimeOffset?)row.GetTime()).FirstOrDefault();
        return first is { } f && last is { } l ? new ObservationExtent(f, l) : null;
    }

    public async Task<IReadOnlyDictionary<SeriesKey, DateTimeOffset>> NewestAsync(CancellationToken cancellationToken)
    {
        using var results = await influx.QueryAsync(InfluxQl.NewestPerSeries, parameters: null, cancellationToken);
        return results.Rows(0).ToDictionary(
            row => new SeriesKey(LineProtocol.DecodeTagValue(row.Tag("site") ?? ""), LineProtocol.DecodeTagValue(row.Tag("indicator") ?? "")),
            row => row.GetTime());
    }

    public Task<bool> PingAsync(CancellationToken cancellationToken) => influx.PingAsync(cancellationToken);

    [LoggerMessage(LogLevel.Warning, "InfluxDB did not create database '{Database}' ({Reason}); it must already exist, or on InfluxDB 2.x be a bucket with a DBRP mapping.")]
    private static partial void LogCannotCreateDatabase(ILogger logger, string database, string reason);
}
