namespace Monitor.Web.Observations;

/// <summary>
/// The store answered and refused the batch itself (for example a field type conflict in InfluxDB). Unlike
/// <see cref="ObservationStoreUnavailableException"/>, sending the same batch again will fail the same way.
/// </summary>
public sealed class ObservationStoreRejectedException(string message, Exception? inner = null) : Exception(message, inner);
