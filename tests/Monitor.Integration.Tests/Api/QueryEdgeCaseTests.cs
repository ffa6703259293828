using System.Net;
using System.Text;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

/// <summary>
/// Every query value of every read endpoint, at its edges (the first and last instants .NET can write, the ends of
/// InfluxDB's nanosecond range, empty, huge numbers, other digits and scripts, control characters), on both stores:
/// each answer is a 2xx or a 4xx, and no answer names the store's address or database.
/// </summary>
public abstract class QueryEdgeCases : IDisposable
{
    private static readonly string[] Times =
    [
        "", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "1600-01-01T00:00:00Z", "1700-01-01T00:00:00Z",
        "1677-09-21T00:12:43Z", "1677-09-21T00:12:44Z", "2262-04-11T23:47:16Z", "2262-04-11T23:47:17Z",
        "1969-12-31T23:59:59.999Z", "2014-06-10T00:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
        "٢٠١٤-٠٦-١٠", "2014-06-10T00:00:00Z\u0000", "9999999999", "-1", "+10000-01-01T00:00:00Z",
    ];

    private static readonly string[] Days =
        ["0001-01-01", "9999-12-31", "2014-01-01", "1677-09-21", "1677-09-22", "2262-04-10", "2262-04-11", "2262-04-12"];

    private static readonly string[] Numbers =
    [
        "", "0", "1", "100000", "100001", "2147483647", "2147483648", "-2147483649", "99999999999999999999999", "1e3",
        "١٠٠", "NaN", "Infinity", " 5",
    ];

    private static readonly string[] Texts =
    [
        "", " ", "MOSUL", "mosul\u0000", "موصل", "🚀", new string('a', 5_000), "'; DROP DATABASE x; --", "../..", "%",
        "\"", "\\", "$site", "a\r\nb",
    ];

    protected abstract MonitorAppFactory App { get; }

    /// <summary>What an API client must never read: where the store lives and what it is called.</summary>
    protected abstract IReadOnlyList<string> Infrastructure { get; }

    private static IEnumerable<string> Urls()
    {
        foreach (var from in Times)
        foreach (var to in Times)
            yield return $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}&from={Q(from)}&to={Q(to)}";
        foreach (var time in Times)
        {
            yield return $"/api/observations?siteId={Baiji}&indicatorId={RefineryStatus}&from={Q(time)}&maxPoints=1";
            yield return $"/api/observations?siteId={Baiji}&indicatorId={RefineryStatus}&to={Q(time)}&maxPoints=3";
            yield return $"/api/observations/history?siteId={Mosul}&indicatorId={FuelStationsOpen}&timestamp={Q(time)}";
            yield return $"/api/audit?from={Q(time)}&to={Q(time)}";
        }
        foreach (var from in Days)
        foreach (var to in Days)
            yield return $"/sites/{Kirkuk}?range=custom&from={Q(from)}&to={Q(to)}";
        foreach (var number in Numbers)
        {
            yield return $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}&maxPoints={Q(number)}";
            yield return $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}&from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&maxPoints={Q(number)}";
        }
        foreach (var text in Texts)
        {
            yield return $"/api/observations?siteId={Q(text)}&indicatorId={FuelStationsOpen}";
            yield return $"/api/observations?siteId={Mosul}&indicatorId={Q(text)}";
            yield return $"/api/observations/history?siteId={Q(text)}&indicatorId={Q(text)}&timestamp=2014-06-10T00:00:00Z";
            // A NUL in the path is refused by the server before routing (the in-memory test host throws instead).
            if (!text.Contains('\0', StringComparison.Ordinal))
            {
                yield return $"/api/sites/{Uri.EscapeDataString(text)}/latest";
                yield return $"/api/sites/{Uri.EscapeDataString(text)}";
            }
            yield return $"/api/observations/conflicts?status={Q(text)}";
            yield return $"/api/audit?actor={Q(text)}&action={Q(text)}&text={Q(text)}&format={Q(text)}";
        }

        static string Q(string value) => Uri.EscapeDataString(value);
    }

    [Fact]
    public async Task Every_query_value_at_its_edges_is_answered_without_a_server_error_or_infrastructure_details()
    {
        using var admin = App.CreateClient(AdminKey);
        var failures = new StringBuilder();
        foreach (var url in Urls())
        {
            using var response = await admin.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
                failures.AppendLine($"{(int)response.StatusCode} {Shorten(url)}: {Shorten(body)}");
            foreach (var secret in Infrastructure.Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)))
                failures.AppendLine($"'{secret}' shown by {Shorten(url)}");
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task The_widest_range_is_answered_with_every_reading_and_the_range_the_store_can_hold()
    {
        using var viewer = App.CreateClient(ViewerKey);

        var series = await viewer.GetSeriesAsync(Mosul, FuelStationsOpen,
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, maxPoints: 100_000);
        var seeded = await viewer.GetSeriesAsync(Mosul, FuelStationsOpen, SeedFrom, SeedTo, maxPoints: 100_000);

        Assert.NotEmpty(series.Points);
        Assert.Equal(seeded.Points.Select(p => p.Timestamp), series.Points.Select(p => p.Timestamp));
        Assert.True(series.From > DateTimeOffset.MinValue && series.To < DateTimeOffset.MaxValue,
            $"The answer claims {series.From:O}–{series.To:O}, more than any store can hold.");
    }

    [Fact]
    public async Task A_range_outside_what_the_store_can_hold_is_empty()
    {
        using var viewer = App.CreateClient(ViewerKey);

        using var response = await viewer.GetAsync(
            $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}&from=2262-04-11T23:47:17Z&to=9999-12-31T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"points\":[]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class EmbeddedQueryEdgeCaseTests : QueryEdgeCases
{
    protected override MonitorAppFactory App { get; } = new();

    protected override IReadOnlyList<string> Infrastructure => [App.DataDirectory, "monitor.db", "SQLite"];
}

[Collection(InfluxdCollection.Name)]
public sealed class InfluxDbQueryEdgeCaseTests : QueryEdgeCases, IAsyncLifetime
{
    private readonly InfluxdFixture _influxd;
    private readonly string _database = "edges_" + Guid.NewGuid().ToString("N");

    public InfluxDbQueryEdgeCaseTests(InfluxdFixture influxd)
    {
        _influxd = influxd;
        App = new MonitorAppFactory();
        App.Settings["Storage:Provider"] = "InfluxDB";
        App.Settings["InfluxDB:Url"] = influxd.Url.ToString();
        App.Settings["InfluxDB:Database"] = _database;
    }

    protected override MonitorAppFactory App { get; }

    protected override IReadOnlyList<string> Infrastructure => [_influxd.Url.Authority, _database, "InfluxDB at"];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _influxd.DropDatabaseAsync(_database);
}
