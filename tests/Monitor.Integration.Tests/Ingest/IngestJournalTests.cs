using Microsoft.Data.Sqlite;
using Monitor.Domain.Observations;
using Monitor.Integration.Tests.Alerts;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The journal's log is copied into its database in the background, not inside a commit.</summary>
public sealed class IngestJournalTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-journal-").FullName;

    private string DatabasePath => Path.Combine(_directory, "outbox.db");

    [Fact]
    public async Task A_queued_batch_reaches_the_database_file_shortly_after_its_commit()
    {
        var journal = new IngestJournal(DatabasePath);
        journal.Initialize();
        var before = new FileInfo(DatabasePath).Length;

        // Far fewer pages than SQLite's own checkpoint waits for (1,000): only the journal's checkpoint moves them.
        var changes = Enumerable.Range(0, 2_000)
            .Select(i => ObservationChange.Record(new Observation("mosul", "fuel.stations_open_pct", Day.AddHours(i), i % 100, null, "field team", null)))
            .ToArray();
        var batch = new IngestBatch(1, Guid.NewGuid(), Day, "reporter", "api", changes);
        journal.Commit(batch, (connection, transaction) => IngestJournal.Enqueue(connection, transaction, batch));

        await AlertScenario.WaitUntilAsync(() => new FileInfo(DatabasePath).Length > before, "the committed batch in the database file",
            describe: () => $"The file has {new FileInfo(DatabasePath).Length:N0} bytes, as before the commit.");
        Assert.Equal(changes, Assert.Single(journal.LoadOutbox()).Changes);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
