using System.Runtime.InteropServices;

namespace Monitor.AlertListener;

/// <summary>The <c>monitor-alerts</c> command: arguments in, alert changes out, until Ctrl+C.</summary>
public static class Cli
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = ListenerOptions.Parse(args, Environment.GetEnvironmentVariable);
        if (parsed.ShowHelp)
        {
            Console.WriteLine(ListenerOptions.Usage);
            return ExitCodes.Stopped;
        }
        if (parsed.Options is not { } options)
        {
            Console.Error.WriteLine(parsed.Error);
            Console.Error.WriteLine("monitor-alerts --help lists the options.");
            return ExitCodes.InvalidArguments;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            return await new Listener(options, Console.Out, Console.Error).RunAsync(stop.Token);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }
    }
}
