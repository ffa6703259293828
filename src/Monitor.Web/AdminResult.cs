namespace Monitor.Web;

/// <summary>
/// The outcome of an administrative change: success, or messages keyed by the field they are about
/// (<c>email</c>, <c>role</c>, <c>expiresAt</c>, …) so a form or an API can put each one where it belongs.
/// </summary>
public record AdminResult(IReadOnlyDictionary<string, string[]> Errors)
{
    protected static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static AdminResult Ok { get; } = new(NoErrors);

    public bool Succeeded => Errors.Count == 0;

    /// <summary>The target of the change does not exist (an API answers 404 rather than 400).</summary>
    public bool NotFound { get; init; }

    /// <summary>All messages in one line, for a snackbar or a log.</summary>
    public string Message => string.Join(" ", Errors.Values.SelectMany(m => m));

    public static AdminResult Failure(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// The change would break a rule about the current state (an API answers 409): leaving no enabled admin, a rule id
    /// already taken, acknowledging a resolved alert.
    /// </summary>
    public bool Conflict { get; init; }

    public static AdminResult Missing(string field, string message) => Failure(field, message) with { NotFound = true };

    public static AdminResult Refused(string field, string message) => Failure(field, message) with { Conflict = true };
}

public sealed record AdminResult<T>(T? Value, IReadOnlyDictionary<string, string[]> Errors) : AdminResult(Errors)
{
    public static AdminResult<T> Of(T value) => new(value, NoErrors);

    public static AdminResult<T> From(AdminResult failure) =>
        new(default, failure.Errors) { NotFound = failure.NotFound, Conflict = failure.Conflict };
}
