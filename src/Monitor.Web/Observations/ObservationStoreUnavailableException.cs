namespace Monitor.Web.Observations;

/// <summary>The store did not answer or refused the write for a reason of its own (not the caller's input).</summary>
public sealed class ObservationStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
