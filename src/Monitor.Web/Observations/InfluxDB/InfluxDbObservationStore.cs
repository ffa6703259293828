using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>Observations in InfluxDB over its v1 HTTP API (line protocol to /write, InfluxQL to /query).</summary>
public sealed class InfluxDbObservationStore(HttpClient http, InfluxDbOptions options) : IObservationStore
{
    public HttpClient Http { get; } = http;
    public InfluxDbOptions Options { get; } = options;
    public Task InitializeAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task WriteAsync(IReadOnlyList<Observation> batch, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<bool> PingAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
