using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Data;
using Monitor.Web.Security.ApiKeys;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Admin;

public sealed class ApiKeyTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private static readonly string[] Roles = ["Viewer", "Reporter", "Coordinator", "Admin"];

    private HttpClient Admin() => app.CreateClient(AdminKey);

    [Fact]
    public async Task Issued_secret_has_the_documented_shape()
    {
        using var admin = Admin();

        var key = await admin.IssueKeyAsync(UniqueName("shape"), "Viewer");

        Assert.Matches("^mon_[0-9A-Za-z]{40}$", key.Secret);
        Assert.Equal(key.Secret[..8], key.Prefix);
    }

    [Fact]
    public async Task Issued_key_authenticates_with_its_role_only()
    {
        using var admin = Admin();
        var viewer = await admin.IssueKeyAsync(UniqueName("viewer"), "Viewer");
        var reporter = await admin.IssueKeyAsync(UniqueName("reporter"), "Reporter");
        var day = NewWindow();
        var observation = new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 5, timestamp = day };

        using var asViewer = app.CreateClient(viewer.Secret);
        using var asReporter = app.CreateClient(reporter.Secret);

        Assert.Equal(HttpStatusCode.OK, (await asViewer.GetAsync("/api/sites")).StatusCode);
        await (await asViewer.PostObservationsAsync(observation)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await asReporter.PostObservationsAsync(observation)).AssertAcceptedAsync(1);
        await (await asReporter.GetAsync("/api/keys")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Issued_key_also_authenticates_as_a_bearer_token()
    {
        using var admin = Admin();
        var key = await admin.IssueKeyAsync(UniqueName("bearer"), "Viewer");
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Secret);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/indicators")).StatusCode);
    }

    [Fact]
    public async Task Revoked_key_is_refused_on_the_very_next_request()
    {
        using var admin = Admin();
        var key = await admin.IssueKeyAsync(UniqueName("soon revoked"), "Viewer");
        using var client = app.CreateClient(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sites")).StatusCode);

        using var revoke = await admin.DeleteAsync($"/api/keys/{key.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var problem = await (await client.GetAsync("/api/sites")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocation_is_audited_with_the_acting_key_and_listed()
    {
        using var admin = Admin();
        var key = await admin.IssueKeyAsync(UniqueName("audited"), "Reporter");

        await admin.DeleteAsync($"/api/keys/{key.Id}");

        Assert.Equal("key:test admin", (await app.SingleAuditAsync(AuditActions.ApiKeyCreated, key.Name)).Actor);
        var revoked = await app.SingleAuditAsync(AuditActions.ApiKeyRevoked, key.Name);
        Assert.Equal("key:test admin", revoked.Actor);
        Assert.Contains(key.Id.ToString(), revoked.Details, StringComparison.Ordinal);
        var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/keys"))!.Single(k => k!["id"]?.GetValue<Guid>() == key.Id)!;
        Assert.Equal("revoked", listed["status"]!.GetValue<string>());
        Assert.Equal("key:test admin", listed["revokedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404()
    {
        using var admin = Admin();

        using var response = await admin.DeleteAsync($"/api/keys/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Key_whose_expiry_has_passed_is_refused()
    {
        using var admin = Admin();
        var key = await admin.IssueKeyAsync(UniqueName("expiring"), "Viewer", DateTimeOffset.UtcNow.AddDays(1));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == key.Id);
            row.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        // The row changed behind the app's back; a revocation in the app (of another key) is what clears remembered keys.
        app.Services.GetRequiredService<ApiKeyLookup>().Invalidate();
        using var client = app.CreateClient(key.Secret);

        var problem = await (await client.GetAsync("/api/sites")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("expired", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_hash_and_prefix_of_the_secret_are_stored()
    {
        using var admin = Admin();
        var key = await admin.IssueKeyAsync(UniqueName("hashed"), "Viewer");
        using (var client = app.CreateClient(key.Secret)) await client.GetAsync("/api/sites");

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            var row = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key.Secret)), row.Hash);
            Assert.Equal(key.Secret[..8], row.Prefix);
            Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().ToListAsync(),
                a => $"{a.Actor} {a.Target} {a.Details}".Contains(key.Secret[8..], StringComparison.Ordinal));
        }

        // Nothing after the prefix appears anywhere in the database files.
        SqliteConnection.ClearAllPools();
        var secretTail = Encoding.UTF8.GetBytes(key.Secret[8..]);
        foreach (var file in Directory.GetFiles(app.DataDirectory, "monitor.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(secretTail) < 0, $"{Path.GetFileName(file)} holds the secret.");
        }
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(key.Secret[8..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configured_keys_keep_working_and_are_listed_read_only_without_secrets()
    {
        using var admin = Admin();
        await admin.IssueKeyAsync(UniqueName("beside config"), "Viewer");

        using var response = await admin.GetAsync("/api/keys");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var role in Roles)
        {
            Assert.DoesNotContain(KeysByRole[role], body, StringComparison.Ordinal);
            using var client = app.CreateClient(KeysByRole[role]);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sites")).StatusCode);
        }
        var configured = JsonNode.Parse(body)!.AsArray().Where(k => k!["status"]!.GetValue<string>() == "configuration").ToArray();
        Assert.Equal(["test admin", "test coordinator", "test reporter", "test viewer"],
            configured.Select(k => k!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(configured, k => Assert.True(k!["readOnly"]!.GetValue<bool>()));
        Assert.DoesNotContain(body, "secret", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(body, "hash", StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("", "Viewer", null, "name")]
    [InlineData("   ", "Viewer", null, "name")]
    [InlineData("ok name", "Superuser", null, "role")]
    [InlineData("ok name", "Viewer", -1, "expiresAt")]
    public async Task Create_refuses_invalid_input_naming_the_field(string name, string role, int? expiresInDays, string field)
    {
        using var admin = Admin();
        DateTimeOffset? expiresAt = expiresInDays is { } days ? DateTimeOffset.UtcNow.AddDays(days) : null;

        using var response = await admin.PostAsJsonAsync("/api/keys", new { name, role, expiresAt }, MonitorApi.Json);

        var errors = await response.AssertValidationProblemAsync();
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public async Task Create_refuses_a_name_longer_than_100_characters_or_already_in_use()
    {
        using var admin = Admin();
        var existing = await admin.IssueKeyAsync(UniqueName("taken"), "Viewer");

        using var tooLong = await admin.PostAsJsonAsync("/api/keys", new { name = new string('k', 101), role = "Viewer" }, MonitorApi.Json);
        using var taken = await admin.PostAsJsonAsync("/api/keys", new { name = existing.Name, role = "Viewer" }, MonitorApi.Json);
        using var configured = await admin.PostAsJsonAsync("/api/keys", new { name = "test viewer", role = "Viewer" }, MonitorApi.Json);

        Assert.Contains("name", (await tooLong.AssertValidationProblemAsync()).Keys);
        Assert.Contains("already exists", (await taken.AssertValidationProblemAsync())["name"][0], StringComparison.Ordinal);
        Assert.Contains("name", (await configured.AssertValidationProblemAsync()).Keys);
    }

    [Theory]
    [InlineData(ViewerKey)]
    [InlineData(ReporterKey)]
    [InlineData(CoordinatorKey)]
    public async Task Only_admins_manage_keys(string key)
    {
        using var client = app.CreateClient(key);

        await (await client.GetAsync("/api/keys")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/keys", new { name = "mine", role = "Admin" }, MonitorApi.Json))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/keys/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Keys_api_refuses_anonymous_requests()
    {
        using var client = app.CreateClient();

        await (await client.GetAsync("/api/keys")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class ApiKeyClockTests : IDisposable
{
    private readonly FakeClockAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<DateTimeOffset?> LastUsedAsync(Guid id)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
        return (await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id)).LastUsedAt;
    }

    [Fact]
    public async Task Key_stops_working_when_its_expiry_passes()
    {
        using var admin = _app.CreateClient(AdminKey);
        var key = await admin.IssueKeyAsync("until tomorrow", "Viewer", _app.Time.GetUtcNow().AddDays(1));
        using var client = _app.CreateClient(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sites")).StatusCode);

        _app.Time.Advance(TimeSpan.FromDays(1));

        var problem = await (await client.GetAsync("/api/sites")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/keys"))!.Single(k => k!["id"]?.GetValue<Guid>() == key.Id)!;
        Assert.Equal("expired", listed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Last_use_is_recorded_at_most_once_a_minute()
    {
        using var admin = _app.CreateClient(AdminKey);
        var key = await admin.IssueKeyAsync("busy", "Viewer");
        using var client = _app.CreateClient(key.Secret);
        Assert.Null(await LastUsedAsync(key.Id));
        var first = _app.Time.GetUtcNow();

        await client.GetAsync("/api/sites");
        Assert.Equal(first, (await LastUsedAsync(key.Id)).GetValueOrDefault(), TimeSpan.FromMilliseconds(1));

        _app.Time.Advance(TimeSpan.FromSeconds(50));
        await client.GetAsync("/api/sites");
        Assert.Equal(first, (await LastUsedAsync(key.Id)).GetValueOrDefault(), TimeSpan.FromMilliseconds(1));

        _app.Time.Advance(TimeSpan.FromSeconds(15));
        await client.GetAsync("/api/sites");
        Assert.Equal(first.AddSeconds(65), (await LastUsedAsync(key.Id)).GetValueOrDefault(), TimeSpan.FromMilliseconds(1));
    }
}
