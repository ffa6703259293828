using Monitor.Domain.Imports;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;

namespace Monitor.Web.Observations.Ingest;

/// <summary>How an import stores: every row or nothing (<see cref="ValidOnly"/> false), and whether it only checks.</summary>
public sealed record ImportMode(bool ValidOnly = false, bool DryRun = false);

/// <summary>
/// What an import did (or, dry, would do): rows stored (already recorded identically included, as for the API), rows
/// rejected with each problem by line, and whether an all-or-nothing import refused the file.
/// </summary>
public sealed record ImportResult(int Imported, int Rejected, IReadOnlyList<ImportError> Errors, bool Refused);

public enum ImportPhase
{
    Checking,
    Storing,
}

/// <summary>How far an import is: rows checked so far, or rows stored of <see cref="Total"/>.</summary>
public sealed record ImportProgress(ImportPhase Phase, int Rows, int Total = 0);

public sealed partial class ObservationIngest
{
    /// <summary>Rows validated and committed together: a batch the size the pipeline is tuned for.</summary>
    public const int ImportChunkSize = 5_000;

    /// <summary>How long an import waits for a slow feed subscriber before going on (that one then resyncs).</summary>
    private static readonly TimeSpan FeedPatience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Imports rows read twice from a spooled file: the first pass validates every row, checks it against history and
    /// against the file's other rows; the second (unless refused or dry) commits the accepted rows in
    /// <see cref="ImportChunkSize"/> batches, each audited like an API batch. Only keys and lines are remembered between
    /// the passes, so memory stays bounded whatever the file's size.
    /// </summary>
    /// <remarks>
    /// The writer is held from the first history check to the last commit, so no other write can slip in between
    /// and make a checked row conflict: an all-or-nothing import that passed its check stores every row.
    /// </remarks>
    public async Task<ImportResult> ImportAsync(
        Func<IEnumerable<ImportRow>> readRows, ImportMode mode, Submitter submitter, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var validator = new ObservationValidator(time) { TimestampFloor = options.Value.TimestampFloor };
        var snapshot = catalog.Current;
        var errors = new List<ImportError>();
        var rejectedLines = new HashSet<int>();
        // Only what the audit needs: a batch's readings must not stay in memory until the whole file is stored.
        var committed = new List<(Guid BatchId, long Sequence, int Count)>();
        var accepted = 0;

        await _writer.WaitAsync(cancellationToken);
        try
        {
            var firstLineOf = new Dictionary<ObservationKey, int>();
            var rows = 0;
            foreach (var chunk in readRows().Chunk(ImportChunkSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var row in chunk.Where(r => r.Input is null))
                {
                    errors.AddRange(row.Errors);
                    rejectedLines.Add(row.Line);
                }

                var readable = chunk.Where(r => r.Input is not null).ToArray();
                var valid = Validate(validator, readable, snapshot, errors, rejectedLines);
                var fresh = new List<(int Line, Observation Reading)>(valid.Count);
                foreach (var (line, reading) in valid)
                {
                    if (firstLineOf.TryAdd(reading.Key, line)) fresh.Add((line, reading));
                    else Reject(errors, rejectedLines, line, "timestamp",
                        $"Line {firstLineOf[reading.Key]} already gives a reading of this indicator at this site and time.");
                }

                var (existing, _) = await ExistingAsync(fresh.Select(f => f.Reading).ToArray(), cancellationToken);
                foreach (var (line, reading) in fresh)
                {
                    if (existing.TryGetValue(reading.Key, out var recorded) && !recorded.SameReadingAs(reading))
                        Reject(errors, rejectedLines, line, "row", HistoryGuard.ConflictMessage(recorded));
                    else accepted++;
                }
                rows += chunk.Length;
                progress?.Report(new ImportProgress(ImportPhase.Checking, rows));
            }

            var refused = !mode.ValidOnly && rejectedLines.Count > 0;
            if (refused || mode.DryRun) return new ImportResult(refused ? 0 : accepted, rejectedLines.Count, errors, refused);
            EnsureRoom(accepted);

            var stored = 0;
            foreach (var chunk in readRows().Where(r => !rejectedLines.Contains(r.Line)).Chunk(ImportChunkSize))
            {
                // Checked rows, checked again with the same catalog: only time has moved on, which makes no row invalid.
                var readings = Validate(validator, chunk, snapshot, errors: null, rejectedLines: null).Select(v => v.Reading).ToArray();
                var (existing, deferred) = await ExistingAsync(readings, cancellationToken);
                var guard = HistoryGuard.Check(readings, existing);
                if (guard.HasConflicts) throw new InvalidOperationException("A row checked under the writer conflicts when committed.");
                if (guard.New.Count > 0)
                {
                    var batch = NewBatch(journal.LastSequence + 1, ObservationChange.Records(guard.New), submitter, deferred);
                    Commit([batch]);
                    committed.Add((batch.BatchId, batch.Sequence, batch.Changes.Count));
                    // Let the alert engine and live clients take this batch in before the next, whatever the file's size.
                    await feed.CatchUpAsync(ImportChunkSize, FeedPatience, cancellationToken);
                }
                stored += chunk.Length;
                progress?.Report(new ImportProgress(ImportPhase.Storing, stored, accepted));
            }
        }
        finally
        {
            _writer.Release();
        }

        if (submitter.Principal is not null)
        {
            foreach (var (batchId, sequence, count) in committed)
            {
                await audit.RecordAsync(submitter.Principal, AuditActions.ObservationsSubmitted, batchId.ToString(),
                    $"sequence={sequence}; count={count}; channel={submitter.Channel}", submitter.RemoteIp, CancellationToken.None);
            }
        }
        return new ImportResult(accepted, rejectedLines.Count, errors, Refused: false);
    }

    private static List<(int Line, Observation Reading)> Validate(
        ObservationValidator validator, IReadOnlyList<ImportRow> rows, Domain.Catalog.CatalogSnapshot snapshot,
        List<ImportError>? errors, HashSet<int>? rejectedLines)
    {
        var (items, itemErrors) = validator.ValidateEach(rows.Select(r => r.Input!).ToArray(), snapshot);
        if (errors is not null && rejectedLines is not null)
        {
            foreach (var (key, messages) in itemErrors)
            {
                var (index, field) = ParseKey(key);
                foreach (var message in messages)
                {
                    // A file may name a site by its P-code: say that this was tried too.
                    var said = field == "site" && message.StartsWith("Unknown site", StringComparison.Ordinal)
                        ? message + " It is neither a site id nor a site's P-code." : message;
                    Reject(errors, rejectedLines, rows[index].Line, field, said);
                }
            }
        }

        var valid = new List<(int, Observation)>(rows.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } reading) valid.Add((rows[i].Line, reading));
        }
        return valid;
    }

    /// <summary>The validator's <c>[index].field</c> key as the row and the CSV column it is about.</summary>
    private static (int Index, string Field) ParseKey(string key)
    {
        var close = key.IndexOf(']', StringComparison.Ordinal);
        var index = int.Parse(key.AsSpan(1, close - 1), System.Globalization.CultureInfo.InvariantCulture);
        var field = close + 2 <= key.Length ? key[(close + 2)..] : "row";
        return (index, field switch
        {
            "siteId" => ImportField.Site.Name(),
            "indicatorId" => ImportField.Indicator.Name(),
            _ => field,
        });
    }

    private static void Reject(List<ImportError> errors, HashSet<int> rejectedLines, int line, string field, string message)
    {
        errors.Add(new ImportError(line, field, message));
        rejectedLines.Add(line);
    }
}
