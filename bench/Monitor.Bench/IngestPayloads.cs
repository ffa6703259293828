using System.Text;
using System.Text.Json;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.InfluxDB;

namespace Monitor.Bench;

/// <summary>
/// The request bodies of one load, built before its clock starts: each batch as the JSON a reporter posts and as the
/// line protocol the app's InfluxDB store writes for it (the same <see cref="InfluxMapping.AppendLine"/>, numbered from
/// <c>firstSequence</c> as the app numbers its batches), so both paths carry the very same points.
/// </summary>
public sealed class IngestPayloads
{
    private IngestPayloads(string indicatorId, IReadOnlyList<Observation[]> batches, long firstSequence)
    {
        IndicatorId = indicatorId;
        Json = batches.Select(b => JsonSerializer.SerializeToUtf8Bytes(b.Select(Scenario.ToInput), Scenario.Json)).ToArray();
        Lines = batches.Select((b, i) => ToLines(b, firstSequence + i)).ToArray();
        Points = batches.Sum(b => b.Length);
    }

    /// <summary>The unmeasured loads of <see cref="Scenario.WarmupLoads"/>, each under a warm-up indicator of its own.</summary>
    public static IReadOnlyList<IngestPayloads> Warmups(Scenario scenario, int batchSize) =>
        [.. Enumerable.Range(1, Scenario.WarmupLoads).Select(load => Build(scenario, batchSize, Scenario.WarmupLoadIndicatorId(load)))];

    public string IndicatorId { get; }
    public IReadOnlyList<byte[]> Json { get; }
    public IReadOnlyList<byte[]> Lines { get; }
    public int Points { get; }

    public static IngestPayloads Build(Scenario scenario, int batchSize, string indicatorId, long firstSequence = 1) =>
        new(indicatorId, scenario.Batches(batchSize, indicatorId), firstSequence);

    private static byte[] ToLines(Observation[] batch, long sequence)
    {
        var lines = new StringBuilder();
        foreach (var observation in batch) InfluxMapping.AppendLine(lines, observation, sequence);
        return Encoding.UTF8.GetBytes(lines.ToString());
    }
}
