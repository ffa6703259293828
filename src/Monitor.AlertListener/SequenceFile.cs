using System.Globalization;

namespace Monitor.AlertListener;

/// <summary>
/// <c>--state-file</c>: the last printed sequence, as one number in a text file, replaced whole (write, then rename) so a
/// crash in the middle leaves the previous number rather than half of one.
/// </summary>
public static class SequenceFile
{
    /// <summary>The sequence kept in the file; null when there is no file yet.</summary>
    public static long? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new InvalidDataException($"The state file {path} does not hold a sequence number: '{text}'.");
    }

    public static void Write(string path, long sequence)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, sequence.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
