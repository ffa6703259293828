using System.Text.Json;
using Monitor.Domain.Demo;

namespace Monitor.Web.Demo;

/// <summary>
/// How far the demo feed got, kept beside the embedded databases so a restart neither streams the scenario again nor
/// skips any of it.
/// </summary>
/// <param name="LiveFrom">The cut this data directory was loaded with (a later change of the setting does not move it).</param>
/// <param name="Shift">How far the loaded part was moved; loading it again with the same shift changes nothing.</param>
/// <param name="LiveCount">Readings in the live part, to notice a scenario that changed under the feed.</param>
/// <param name="Loaded">The loaded part is stored completely.</param>
/// <param name="Next">The live readings before this index are stored.</param>
/// <param name="Through">
/// The live readings up to this index (exclusive) may have been stored, stamped by <see cref="Schedule"/>: written before
/// they are posted, so after an interruption they are posted again alike, which stores what is missing and nothing twice.
/// </param>
/// <param name="Finished">The whole live part is stored; the feed has nothing left to do on this data directory.</param>
public sealed record DemoFeedProgress(
    DateTimeOffset LiveFrom,
    TimeSpan Shift,
    int LiveCount,
    bool Loaded = false,
    int Next = 0,
    int Through = 0,
    DemoSchedule? Schedule = null,
    bool Finished = false)
{
    public const string FileName = "demo-feed.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static DemoFeedProgress? Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) return null;
        return JsonSerializer.Deserialize<DemoFeedProgress>(File.ReadAllBytes(path), Json)
               ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>Replaces the file in one step (write aside, flush, rename): a crash leaves the old version or the new one.</summary>
    public void Save(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var aside = path + ".tmp";
        using (var file = new FileStream(aside, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, this, Json);
            file.Flush(flushToDisk: true);
        }
        File.Move(aside, path, overwrite: true);
    }
}
