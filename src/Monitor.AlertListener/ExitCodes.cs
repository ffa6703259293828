namespace Monitor.AlertListener;

/// <summary>What the process's exit code means (also in <see cref="ListenerOptions.Usage"/> and the README).</summary>
public static class ExitCodes
{
    /// <summary>Stopped on request: Ctrl+C or SIGTERM. Lost connections never end the listener; it reconnects.</summary>
    public const int Stopped = 0;

    /// <summary>Something unexpected, e.g. a state file that does not hold a sequence.</summary>
    public const int Failed = 1;

    public const int InvalidArguments = 2;

    /// <summary>The server answered 401 or 403: the key is wrong, revoked, or lacks the Viewer role. Retrying cannot help.</summary>
    public const int Refused = 3;
}
