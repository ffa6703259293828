using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The outbox keeps changes in a compact form that must give back exactly what was queued.</summary>
public sealed class ChangeCodecTests
{
    private static readonly DateTimeOffset Day = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<ObservationChange> Tricky()
    {
        var plain = new Observation("mosul", "fuel.stations_open_pct", Day.AddHours(6), 12.5, null, "field team", null);
        return
        [
            ObservationChange.Record(plain),
            ObservationChange.Record(plain with { Timestamp = Day.AddHours(5), Value = -0.0, Source = "", Note = "" }),
            ObservationChange.Record(plain with { Timestamp = Day.AddTicks(1234567), Value = double.MaxValue, Source = null }),
            ObservationChange.Record(new Observation("baiji", "refinery.status", Day.AddYears(-14), null, "offline", "wire", "line\nbreak, \"quoted\" \\ ünïcødé 🚧")),
            ObservationChange.Record(plain with { Timestamp = new DateTimeOffset(2014, 6, 10, 9, 0, 0, TimeSpan.FromHours(3)), Note = new string('n', 4_000) }),
            ObservationChange.Record(plain with { Timestamp = new DateTimeOffset(2014, 6, 10, 9, 0, 0, TimeSpan.FromMinutes(-330)), Value = double.Epsilon }),
            new ObservationChange(ChangeKind.Correct, plain with { Value = 13 }, "typo",
                new ObservationVersion(plain, 41, Day.AddDays(1).AddTicks(7), "reporter@example.org")),
            new ObservationChange(ChangeKind.Correct, plain with { Value = 14 }, "again",
                new ObservationVersion(plain with { Value = 13 }, 42, new DateTimeOffset(2014, 6, 11, 3, 0, 0, TimeSpan.FromHours(3)), "coordinator", "typo")),
            new ObservationChange(ChangeKind.Void, plain, "duplicate report", new ObservationVersion(plain, 7, null, null, null, Voided: true)),
            ObservationChange.Record(plain with { SiteId = "mosul", Timestamp = DateTimeOffset.MinValue, Value = 0 }),
            ObservationChange.Record(plain with { Timestamp = DateTimeOffset.MaxValue }),
        ];
    }

    [Fact]
    public void Changes_read_back_exactly_as_written()
    {
        var changes = Tricky();

        var decoded = ChangeCodec.Decode(ChangeCodec.Encode(changes));

        Assert.Equal(changes, decoded);
        // Equal instants with other offsets compare equal; the offsets themselves must survive too.
        Assert.Equal(changes.Select(c => c.Reading.Timestamp.Offset), decoded.Select(c => c.Reading.Timestamp.Offset));
        Assert.Equal(changes.Select(c => c.Previous?.RecordedAt?.Offset), decoded.Select(c => c.Previous?.RecordedAt?.Offset));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(decoded[1].Reading.Value!.Value));
    }

    [Fact]
    public void A_large_batch_stays_small()
    {
        var changes = Enumerable.Range(0, 5_000)
            .Select(i => ObservationChange.Record(new Observation($"city-{i % 50:D3}", "fuel.stations_open_pct", Day.AddHours(i / 50), i % 1000 / 10.0, null, "bench feed", null)))
            .ToArray();

        var encoded = ChangeCodec.Encode(changes);

        Assert.True(encoded.Length < 100_000, $"{encoded.Length} bytes");
        Assert.Equal(changes, ChangeCodec.Decode(encoded));
    }

    [Fact]
    public void An_outbox_queued_by_an_earlier_version_is_still_read()
    {
        var directory = Directory.CreateTempSubdirectory("monitor-codec-").FullName;
        try
        {
            var path = Path.Combine(directory, "ingest.db");
            var journal = new IngestJournal(path);
            journal.Initialize();
            var changes = Tricky();
            journal.Commit(new IngestBatch(1, Guid.NewGuid(), Day, "reporter", "api", changes), (connection, transaction) =>
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO outbox (sequence, check_deferred, changes) VALUES (1, 0, $changes)";
                insert.Parameters.AddWithValue("$changes", LegacyForm(changes));
                insert.ExecuteNonQuery();
            });
            SqliteConnection.ClearAllPools();

            var reloaded = new IngestJournal(path);
            reloaded.Initialize();
            var batch = Assert.Single(reloaded.LoadOutbox());

            Assert.Equal(changes, batch.Changes);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>What earlier versions stored: the changes as JSON (computed properties left out), gzip-compressed.</summary>
    private static byte[] LegacyForm(IReadOnlyList<ObservationChange> changes)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers = { info => { foreach (var p in info.Properties.Where(p => p.Set is null).ToArray()) info.Properties.Remove(p); } },
            },
        };
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) JsonSerializer.Serialize(gzip, changes, json);
        return buffer.ToArray();
    }
}
