using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations;
using Monitor.Web.Observations.InfluxDB;

namespace Monitor.Integration.Tests.Stores;

/// <summary>The store contract against a real influxd (one fresh database per test), and what is particular to InfluxDB.</summary>
[Collection(InfluxdCollection.Name)]
public sealed class InfluxDbObservationStoreTests(InfluxdFixture influxd) : ObservationStoreContract
{
    private readonly string _database = "contract_" + Guid.NewGuid().ToString("N");
    private readonly HttpClient _http = new();

    protected override Task<IObservationStore> CreateStoreAsync() => Task.FromResult<IObservationStore>(NewStore(_database));

    protected override async Task DeleteStoreAsync()
    {
        _http.Dispose();
        await influxd.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task While_influxd_is_down_ping_is_false_and_reads_and_writes_report_the_store_unavailable()
    {
        var before = Numeric("mosul", "fuel.stations_open_pct", T0, 40);
        var after = Numeric("mosul", "fuel.stations_open_pct", T0.AddHours(1), 25);
        var query = new SeriesQuery("mosul", "fuel.stations_open_pct", T0, T0.AddDays(1), 100);
        await Store.WriteAsync([before], Ct);

        await influxd.StopAsync();
        try
        {
            Assert.False(await Store.PingAsync(Ct));
            var write = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => Store.WriteAsync([after], Ct));
            Assert.Contains("unreachable", write.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => Store.QueryAsync(query, IndicatorKind.Numeric, Ct));
            await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => Store.LatestAsync("mosul", Ct));
            await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => Store.ExtentAsync(Ct));
        }
        finally
        {
            await influxd.StartAsync();
        }

        Assert.True(await Store.PingAsync(Ct));
        await Store.WriteAsync([after], Ct);
        Assert.Equal([Downsampling.Raw(before), Downsampling.Raw(after)], await Store.QueryAsync(query, IndicatorKind.Numeric, Ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Writes_read_back_the_same_compressed_or_not(bool compress)
    {
        var store = NewStore(_database, configure: options => options.CompressWrites = compress);
        var readings = Enumerable.Range(0, 6_000)
            .Select(i => Numeric("mosul", "fuel.stations_open_pct", T0.AddMinutes(i), i % 100, note: i % 7 == 0 ? "café \"q\" \\ \n" : null))
            .ToArray();

        await store.WriteAsync(readings, Ct);

        Assert.Equal(readings, await store.ReadAsync(new SeriesKey("mosul", "fuel.stations_open_pct"), T0, T0.AddDays(10), Ct));
    }

    [Fact]
    public async Task A_write_InfluxDB_refuses_is_rejected_with_its_reason()
    {
        // Another writer made `value` a string field in this shard; InfluxDB refuses floats there from now on.
        await influxd.WriteLinesAsync(_database, $"observation,site=mosul,indicator=fuel value=\"text\" {T0.ToUnixTimeMilliseconds()}\n");

        var rejected = await Assert.ThrowsAsync<ObservationStoreRejectedException>(
            () => Store.WriteAsync([Numeric("mosul", "fuel", T0.AddHours(1), 1)], Ct));

        Assert.Contains("field type conflict", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 400", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_reported_on_read_and_write()
    {
        var store = NewStore("missing_" + Guid.NewGuid().ToString("N"));

        var read = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => store.QueryAsync(
            new SeriesQuery("mosul", "fuel", T0, T0.AddDays(1), 10), IndicatorKind.Numeric, Ct));
        var write = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(
            () => store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct));

        // InfluxDB answers the read with HTTP 200 and the error inside the results.
        Assert.Contains("database not found", read.Message, StringComparison.Ordinal);
        Assert.Contains("database not found", write.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Odd_database_names_are_quoted_and_change_no_other_database()
    {
        var odd = $"odd \"name\" ; DROP DATABASE \"{_database}\" -- {Guid.NewGuid():N}";
        var store = NewStore(odd);
        var reading = Numeric("mosul", "fuel", T0, 12.5, note: "in an oddly named database");
        await Store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct);

        try
        {
            await store.InitializeAsync(Ct);
            await store.WriteAsync([reading], Ct);

            Assert.Equal([Downsampling.Raw(reading)],
                await store.QueryAsync(new SeriesQuery("mosul", "fuel", T0, T0, 10), IndicatorKind.Numeric, Ct));
            Assert.Equal([Numeric("mosul", "fuel", T0, 1)], await Store.LatestAsync("mosul", Ct));
        }
        finally
        {
            await influxd.DropDatabaseAsync(odd);
        }
    }

    [Fact]
    public async Task A_token_is_sent_as_a_Token_authorization_header()
    {
        var influx = new StubInflux(Answer204OrEmptyResults);
        var store = NewStore("monitor", new HttpClient(influx), o => o.Token = "s3cret-token");

        await store.InitializeAsync(Ct);
        Assert.True(await store.PingAsync(Ct));
        await store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct);
        await store.QueryAsync(new SeriesQuery("mosul", "fuel", T0, T0.AddDays(1), 10), IndicatorKind.Numeric, Ct);

        Assert.Equal(["/query", "/ping", "/write", "/query", "/query"], influx.Requests.Select(r => r.Path));
        Assert.All(influx.Requests, r => Assert.Equal("Token s3cret-token", r.Authorization));
    }

    [Fact]
    public async Task A_username_and_password_are_sent_as_basic_credentials_and_never_in_the_url()
    {
        var influx = new StubInflux(Answer204OrEmptyResults);
        var store = NewStore("monitor", new HttpClient(influx), o => (o.Username, o.Password) = ("reporter", "pa:ss wörd"));

        await store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct);
        await store.LatestAsync("mosul", Ct);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("reporter:pa:ss wörd"));
        Assert.Equal(2, influx.Requests.Count);
        Assert.All(influx.Requests, r =>
        {
            Assert.Equal(expected, r.Authorization);
            Assert.DoesNotContain("reporter", r.Url, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Refused_credentials_are_reported_without_revealing_them()
    {
        var influx = new StubInflux((_, _) => Task.FromResult(Json(HttpStatusCode.Unauthorized, """{"error":"authorization failed"}""")));
        var store = NewStore("monitor", new HttpClient(influx), o =>
        {
            o.Url = "http://admin:hunter2@influx.example:8086/";
            o.Token = "s3cret-token";
        });

        var write = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct));
        var read = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => store.LatestAsync("mosul", Ct));

        foreach (var message in new[] { write.Message, read.Message })
        {
            Assert.Contains("HTTP 401", message, StringComparison.Ordinal);
            Assert.Contains("authorization failed", message, StringComparison.Ordinal);
            Assert.Contains("influx.example:8086", message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Server_errors_are_reported_as_the_store_unavailable()
    {
        var influx = new StubInflux((_, _) => Task.FromResult(Json(HttpStatusCode.ServiceUnavailable, """{"error":"engine is closed"}""")));
        var store = NewStore("monitor", new HttpClient(influx));

        Assert.False(await store.PingAsync(Ct));
        var write = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct));
        Assert.Contains("engine is closed", write.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => store.ExtentAsync(Ct));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out_as_unavailable()
    {
        var influx = new StubInflux(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        });
        var store = NewStore("monitor", new HttpClient(influx), o => o.Timeout = TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        Assert.False(await store.PingAsync(Ct));
        var write = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(() => store.WriteAsync([Numeric("mosul", "fuel", T0, 1)], Ct));

        Assert.Contains("did not answer within 0.2 s", write.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_statement_error_answered_with_HTTP_200_is_not_taken_for_an_empty_result()
    {
        var influx = new StubInflux((request, _) => Task.FromResult(request.RequestUri!.AbsolutePath == "/query"
            ? Json(HttpStatusCode.OK, """{"results":[{"statement_id":0,"error":"max-select-point limit exceeded: (10000/10000)"}]}""")
            : new HttpResponseMessage(HttpStatusCode.NoContent)));
        var store = NewStore("monitor", new HttpClient(influx));

        var read = await Assert.ThrowsAsync<ObservationStoreUnavailableException>(
            () => store.QueryAsync(new SeriesQuery("mosul", "fuel", T0, T0.AddDays(1), 10), IndicatorKind.Numeric, Ct));

        Assert.Contains("max-select-point limit exceeded", read.Message, StringComparison.Ordinal);
    }

    private InfluxDbObservationStore NewStore(string database, HttpClient? http = null, Action<InfluxDbOptions>? configure = null)
    {
        var options = new InfluxDbOptions { Url = influxd.Url.ToString(), Database = database };
        configure?.Invoke(options);
        var client = http ?? _http;
        return new InfluxDbObservationStore(() => client, options);
    }

    private static Task<HttpResponseMessage> Answer204OrEmptyResults(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(request.RequestUri!.AbsolutePath == "/query"
            ? Json(HttpStatusCode.OK, """{"results":[{"statement_id":0}]}""")
            : new HttpResponseMessage(HttpStatusCode.NoContent));

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Stands in for an InfluxDB that cannot be started here (one with authentication, a failing or silent one).</summary>
    private sealed class StubInflux(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        private readonly ConcurrentQueue<SeenRequest> _requests = new();

        public IReadOnlyList<SeenRequest> Requests => _requests.ToArray();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _requests.Enqueue(new SeenRequest(request.RequestUri!.AbsolutePath, request.RequestUri.ToString(), request.Headers.Authorization?.ToString()));
            return answer(request, cancellationToken);
        }
    }

    private sealed record SeenRequest(string Path, string Url, string? Authorization);
}
