using System.Diagnostics;

namespace Monitor.TestServers;

/// <summary>
/// Confines processes to some of the machine's CPUs through <c>taskset</c> (util-linux), so the benchmark can give
/// influxd cores of its own, as when InfluxDB runs on a machine of its own. A process started confined also sizes its
/// runtime to those CPUs (Go's <c>GOMAXPROCS</c>, .NET's processor count), as it would on a smaller machine.
/// </summary>
public static class CpuAffinity
{
    public const string TasksetPath = "/usr/bin/taskset";

    /// <summary>Starts <paramref name="start"/>'s program through <c>taskset -c <paramref name="cpus"/></c> (a CPU list such as <c>1</c> or <c>0-2</c>).</summary>
    public static void Confine(ProcessStartInfo start, string cpus)
    {
        string[] arguments = ["-c", cpus, start.FileName, .. start.ArgumentList];
        start.FileName = TasksetPath;
        start.ArgumentList.Clear();
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
    }

    /// <summary>Moves every thread of this process onto <paramref name="cpus"/>; threads started later inherit it.</summary>
    public static void ConfineThisProcess(string cpus)
    {
        var start = new ProcessStartInfo(TasksetPath) { ArgumentList = { "-a", "-p", "-c", cpus, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RedirectStandardOutput = true };
        using var taskset = Process.Start(start) ?? throw new InvalidOperationException("taskset did not start.");
        taskset.StandardOutput.ReadToEnd();
        taskset.WaitForExit();
        if (taskset.ExitCode != 0) throw new InvalidOperationException($"taskset could not confine this process to CPUs {cpus} (exit code {taskset.ExitCode}).");
    }

    /// <summary>
    /// Splits this machine's CPUs in two: the upper half for influxd, the rest for the app and the benchmark client
    /// (on two cores: CPU 1 and CPU 0). Null on a single core, where there is nothing to split.
    /// </summary>
    public static (string Influxd, string Others)? Halves()
    {
        var count = Environment.ProcessorCount;
        if (count < 2 || !File.Exists(TasksetPath)) return null;
        var first = count / 2;
        return (Range(first, count - 1), Range(0, first - 1));
    }

    private static string Range(int from, int to) => from == to ? $"{from}" : $"{from}-{to}";
}
