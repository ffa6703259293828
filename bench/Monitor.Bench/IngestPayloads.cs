using System.Text;
using System.Text.Json;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.InfluxDB;

namespace Monitor.Bench;

/// <summary>
/// The request bodies, built once before anything is timed: each batch as the JSON a reporter posts and as the line
/// protocol the app's InfluxDB store writes for it (the same <see cref="InfluxMapping.AppendLine"/>, with the sequence
/// a sequential client's batch gets), so both paths carry the very same points.
/// </summary>
public sealed class IngestPayloads
{
    /// <summary>
    /// Warm-up batches sent to every fresh target before its clock starts. Small but many: the runtime compiles a method
    /// to its optimised tier after some 30 calls, and a fresh app should be measured as a running one performs.
    /// </summary>
    public const int WarmupBatchCount = 40;

    public const int WarmupBatchSize = 250;

    private IngestPayloads(Scenario scenario, int batchSize)
    {
        var warmup = scenario.WarmupBatches(WarmupBatchCount, WarmupBatchSize);
        var measured = scenario.Batches(batchSize);
        WarmupJson = warmup.Select(ToJson).ToArray();
        WarmupLines = warmup.Select((b, i) => ToLines(b, sequence: i + 1)).ToArray();
        Json = measured.Select(ToJson).ToArray();
        Lines = measured.Select((b, i) => ToLines(b, sequence: warmup.Count + i + 1)).ToArray();
        WarmupPoints = warmup.Sum(b => b.Length);
        Points = measured.Sum(b => b.Length);
    }

    public IReadOnlyList<byte[]> WarmupJson { get; }
    public IReadOnlyList<byte[]> WarmupLines { get; }
    public IReadOnlyList<byte[]> Json { get; }
    public IReadOnlyList<byte[]> Lines { get; }
    public int WarmupPoints { get; }
    public int Points { get; }
    public int BatchCount => Json.Count;

    public static IngestPayloads Build(Scenario scenario, int batchSize) => new(scenario, batchSize);

    private static byte[] ToJson(Observation[] batch) => JsonSerializer.SerializeToUtf8Bytes(batch.Select(Scenario.ToInput), Scenario.Json);

    private static byte[] ToLines(Observation[] batch, long sequence)
    {
        var lines = new StringBuilder();
        foreach (var observation in batch) InfluxMapping.AppendLine(lines, observation, sequence);
        return Encoding.UTF8.GetBytes(lines.ToString());
    }
}
