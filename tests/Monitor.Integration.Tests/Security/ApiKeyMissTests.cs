using System.Net;
using Monitor.Integration.Tests.Admin;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Security;

/// <summary>
/// Keys of the issued shape that do not work — guessed, revoked, expired — cost a lookup each: they are counted per
/// client address, audited once per window, and refused with 429 past the limit. Over a real socket, so the client
/// address is real (127.0.0.1).
/// </summary>
public sealed class ApiKeyMissTests : IDisposable
{
    private const int Limit = 3;
    private readonly KestrelMonitorAppFactory _app = new();

    public ApiKeyMissTests()
    {
        _app.Settings["RateLimits:ApiKeyMisses:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app.Settings["RateLimits:ApiKeyMisses:Window"] = "00:10:00";
    }

    public void Dispose() => _app.Dispose();

    private HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = _app.ServerAddress };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static string Guess(int i) => "mon_" + i.ToString("D40", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Past_the_limit_the_address_gets_429_with_Retry_After()
    {
        for (var i = 0; i < Limit; i++)
        {
            using var guess = Client(Guess(i));
            Assert.Equal(HttpStatusCode.Unauthorized, (await guess.GetAsync("/api/sites")).StatusCode);
        }

        using var next = Client(Guess(99));
        using var refused = await next.GetAsync("/api/sites");

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        // Configured keys are compared before any lookup: the operator's own scripts keep working.
        using var configured = Client(ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await configured.GetAsync("/api/sites")).StatusCode);
    }

    [Fact]
    public async Task Misses_are_audited_once_per_window_and_when_the_limit_is_reached_not_per_attempt()
    {
        for (var i = 0; i < Limit + 5; i++)
        {
            using var guess = Client(Guess(i));
            await guess.GetAsync("/api/sites");
        }

        var entries = await _app.AuditAsync(AuditActions.ApiKeyRejected);

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("127.0.0.1", e.RemoteIp));
        Assert.All(entries, e => Assert.Equal(AuditLog.Anonymous, e.Actor));
        Assert.Contains(entries, e => e.Details!.Contains($"{Limit} misses", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Target == Guess(0)[..8]);
    }

    [Fact]
    public async Task A_revoked_key_is_a_miss_audited_as_revoked()
    {
        using var admin = Client(AdminKey);
        var key = await admin.IssueKeyAsync(UniqueName("revoked"), "Viewer");
        (await admin.DeleteAsync($"/api/keys/{key.Id}")).Dispose();

        using var revoked = Client(key.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/api/sites")).StatusCode);

        var entry = Assert.Single(await _app.AuditAsync(AuditActions.ApiKeyRejected));
        Assert.Contains("revoked", entry.Details, StringComparison.Ordinal);
        Assert.Equal(key.Prefix, entry.Target);
    }

    [Fact]
    public async Task An_issued_key_acts_under_its_id_so_a_new_key_of_the_same_name_is_told_apart()
    {
        using var admin = Client(AdminKey);
        var name = UniqueName("ingest bot");
        var first = await admin.IssueKeyAsync(name, "Reporter");
        using (var reporter = Client(first.Secret))
            await (await reporter.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 1, timestamp = NewWindow() })).AssertAcceptedAsync(1);
        (await admin.DeleteAsync($"/api/keys/{first.Id}")).Dispose();
        var second = await admin.IssueKeyAsync(name, "Reporter");
        using (var reporter = Client(second.Secret))
            await (await reporter.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 2, timestamp = NewWindow() })).AssertAcceptedAsync(1);

        var actors = (await _app.AuditAsync(AuditActions.ObservationsSubmitted)).Select(e => e.Actor).ToHashSet();

        Assert.Contains($"key:{first.Id} ({name})", actors);
        Assert.Contains($"key:{second.Id} ({name})", actors);
    }
}
