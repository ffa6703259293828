namespace Monitor.Web.Observations;

/// <summary>The store did not answer or refused the request for a reason of its own (not the caller's input).</summary>
/// <param name="retryAfter">How long the store asked callers to wait (its <c>Retry-After</c>), if it said.</param>
public sealed class ObservationStoreUnavailableException(string message, Exception? inner = null, TimeSpan? retryAfter = null)
    : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
