namespace Monitor.Web.Accounts;

/// <summary>
/// Where the app tells its operator things that must never reach a log file, such as generated passwords: the console
/// of the process that started it.
/// </summary>
public sealed class OperatorConsole(TextWriter writer)
{
    private readonly Lock _gate = new();

    public void WriteBlock(IEnumerable<string> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines) writer.WriteLine(line);
            writer.Flush();
        }
    }
}
