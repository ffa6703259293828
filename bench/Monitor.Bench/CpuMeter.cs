using System.Globalization;

namespace Monitor.Bench;

/// <summary>
/// CPU time of the benchmark's own processes (the app, influxd, this program) and of everything else on the machine,
/// from /proc: on two cores, who burns the CPU says more than the wall clock alone, and a busy neighbour shows up as
/// "others" instead of silently slowing a run.
/// </summary>
public static class CpuMeter
{
    // /proc reports CPU time in clock ticks; USER_HZ is 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Starts measuring the named processes; null where /proc is not there.</summary>
    public static CpuMeasurement? Start(IReadOnlyDictionary<string, int> processes) =>
        File.Exists("/proc/stat") ? new CpuMeasurement(processes, MachineBusyTicks(), processes.ToDictionary(p => p.Key, p => ProcessTicks(p.Value))) : null;

    internal static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return fields.Sum() - fields[3] - fields[4];
    }

    internal static long ProcessTicks(int pid)
    {
        try
        {
            // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    internal static TimeSpan ToTime(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);
}

public sealed class CpuMeasurement(IReadOnlyDictionary<string, int> processes, long machineBefore, IReadOnlyDictionary<string, long> before)
{
    public CpuUse Stop()
    {
        var used = processes.ToDictionary(p => p.Key, p => CpuMeter.ProcessTicks(p.Value) - before[p.Key]);
        var others = CpuMeter.MachineBusyTicks() - machineBefore - used.Values.Sum();
        return new CpuUse(used.ToDictionary(u => u.Key, u => CpuMeter.ToTime(u.Value)), CpuMeter.ToTime(Math.Max(0, others)));
    }
}

/// <summary>CPU time used during one measurement, per named process, and by all other processes together.</summary>
public sealed record CpuUse(IReadOnlyDictionary<string, TimeSpan> ByProcess, TimeSpan Others)
{
    public TimeSpan Of(string process) => ByProcess.GetValueOrDefault(process);
}
