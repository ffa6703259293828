using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using nietras.SeparatedValues;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Data;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Admin;

public sealed class AuditTrailTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private async Task<MonitorDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task Observation_batch_is_audited_once_with_the_key_count_and_batch_id()
    {
        var day = NewWindow();
        using var client = app.CreateClient(ReporterKey);

        using var response = await client.PostObservationsAsync(
            new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 10, timestamp = day },
            new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 20, timestamp = day });

        await response.AssertAcceptedAsync(2);
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var batchId = accepted["batchId"]!.GetValue<Guid>();
        var entry = await app.SingleAuditAsync(AuditActions.ObservationsSubmitted, batchId.ToString());
        Assert.Equal("key:test reporter", entry.Actor);
        // The sequence is what each stored reading carries: it leads from a reading back to this entry.
        Assert.Equal($"sequence={accepted["sequence"]!.GetValue<long>()}; count=2; unchanged=0; channel=api", entry.Details);
    }

    [Fact]
    public async Task Concurrent_entries_are_each_recorded_once_and_readable_when_their_call_returns()
    {
        // Entries written meanwhile share one transaction; each caller must still return only once its own is stored.
        var audit = app.Services.GetRequiredService<AuditLog>();
        var run = Guid.NewGuid().ToString("N");

        var found = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var target = $"{run}-{i}";
            await audit.RecordAsync("concurrency test", "test.concurrent", target, null, null);
            await using var db = await DbAsync();
            return await db.AuditEntries.AsNoTracking().CountAsync(a => a.Target == target);
        }));

        Assert.All(found, count => Assert.Equal(1, count));
        await using var all = await DbAsync();
        Assert.Equal(100, await all.AuditEntries.AsNoTracking().CountAsync(a => a.Target!.StartsWith(run)));
    }

    [Fact]
    public async Task Refused_batch_leaves_no_audit_entry()
    {
        using var client = app.CreateClient(ReporterKey);
        var before = (await app.AuditRowsAsync(AuditActions.ObservationsSubmitted)).Count;

        using var response = await client.PostObservationsAsync(new { siteId = "nowhere", indicatorId = FuelStationsOpen, value = 1 });

        await response.AssertValidationProblemAsync();
        Assert.Equal(before, (await app.AuditRowsAsync(AuditActions.ObservationsSubmitted)).Count);
    }

    [Fact]
    public async Task Scenario_load_at_start_is_one_system_entry()
    {
        await using var db = await DbAsync();

        var seeded = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.ObservationsSubmitted && a.Actor == AuditLog.System).ToListAsync();

        Assert.Equal($"count={Observations.Count}; channel=seed", Assert.Single(seeded).Details);
        Assert.Single(await db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.CatalogChanged && a.Actor == AuditLog.System).ToListAsync());
    }

    [Fact]
    public async Task Database_refuses_to_update_an_audit_entry()
    {
        await using var db = await DbAsync();
        var entry = await db.AuditEntries.OrderBy(a => a.Id).FirstAsync();
        entry.Actor = "someone else";

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Contains("append-only", error.InnerException!.Message, StringComparison.Ordinal);
        await using var fresh = await DbAsync();
        Assert.NotEqual("someone else", (await fresh.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == entry.Id)).Actor);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Database_refuses_to_replace_an_audit_entry(bool replaceInto)
    {
        await using var db = await DbAsync();
        var entry = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).FirstAsync();

        var error = await Assert.ThrowsAsync<SqliteException>(() => replaceInto
            ? db.Database.ExecuteSqlAsync(
                $"REPLACE INTO audit_entries (Id, At, Actor, Action) SELECT Id, At, 'forger', Action FROM audit_entries WHERE Id = {entry.Id}")
            : db.Database.ExecuteSqlAsync(
                $"INSERT OR REPLACE INTO audit_entries (Id, At, Actor, Action) SELECT Id, At, 'forger', Action FROM audit_entries WHERE Id = {entry.Id}"));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        await using var fresh = await DbAsync();
        Assert.Equal(entry.Actor, (await fresh.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == entry.Id)).Actor);
    }

    [Fact]
    public async Task Database_refuses_to_delete_audit_entries()
    {
        await using var db = await DbAsync();
        var count = await db.AuditEntries.CountAsync();
        var entry = await db.AuditEntries.OrderBy(a => a.Id).FirstAsync();
        db.AuditEntries.Remove(entry);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        await Assert.ThrowsAsync<SqliteException>(() => db.AuditEntries.ExecuteDeleteAsync());
        await Assert.ThrowsAsync<SqliteException>(() => db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, "gone")));

        await using var fresh = await DbAsync();
        Assert.True(await fresh.AuditEntries.CountAsync() >= count);
        Assert.DoesNotContain(await fresh.AuditEntries.AsNoTracking().ToListAsync(), a => a.Details == "gone");
    }
}

public sealed class AuditExportTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private static IReadOnlyList<string[]> ParseCsv(string text)
    {
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text);
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            rows.Add(cells);
        }
        return rows;
    }

    private async Task<string> ExportAsync(string query)
    {
        using var admin = app.CreateClient(AdminKey);
        using var response = await admin.GetAsync("/api/audit?format=csv" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        return body;
    }

    [Fact]
    public async Task Csv_export_has_the_documented_header_and_one_row_per_entry_newest_first()
    {
        using var admin = app.CreateClient(AdminKey);
        var first = await admin.IssueKeyAsync(UniqueName("first"), "Viewer");
        var second = await admin.IssueKeyAsync(UniqueName("second"), "Viewer");

        var csv = await ExportAsync($"&action={AuditActions.ApiKeyCreated}");

        Assert.StartsWith("At,Actor,Action,Target,Details,RemoteIp\r\n", csv, StringComparison.Ordinal);
        var rows = ParseCsv(csv).Skip(1).ToArray();
        Assert.All(rows, r => Assert.Equal(6, r.Length));
        Assert.All(rows, r => Assert.Equal(AuditActions.ApiKeyCreated, r[2]));
        var targets = rows.Select(r => r[3]).ToList();
        Assert.True(targets.IndexOf(second.Name) < targets.IndexOf(first.Name), "Newest entries come first.");
        var row = rows.Single(r => r[3] == second.Name);
        Assert.Equal("key:test admin", row[1]);
        Assert.True(DateTimeOffset.TryParse(row[0], out _), $"'{row[0]}' is not a timestamp.");
    }

    [Fact]
    public async Task Csv_cells_with_commas_quotes_and_line_breaks_are_quoted()
    {
        using var admin = app.CreateClient(AdminKey);
        var name = $"north, \"depot\" {Guid.NewGuid():N}";
        await admin.IssueKeyAsync(name, "Viewer");

        var csv = await ExportAsync($"&text={Uri.EscapeDataString(name)}");

        Assert.Contains("\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", csv, StringComparison.Ordinal);
        Assert.Equal(name, Assert.Single(ParseCsv(csv).Skip(1)).ElementAt(3));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x.example\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    public async Task Csv_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote(string dangerous)
    {
        using var admin = app.CreateClient(AdminKey);
        var name = dangerous + " " + Guid.NewGuid().ToString("N");
        await admin.IssueKeyAsync(name, "Viewer");

        var csv = await ExportAsync($"&action={AuditActions.ApiKeyCreated}&text={Uri.EscapeDataString(name)}");

        var cell = Assert.Single(ParseCsv(csv).Skip(1))[3];
        Assert.Equal("'" + name, cell);
    }

    [Fact]
    public async Task Filters_by_actor_action_and_time_range()
    {
        var audit = app.Services.GetRequiredService<AuditLog>();
        var actor = UniqueEmail("filter");
        await audit.RecordAsync(actor, AuditActions.UserCreated, "a@example.org", null, null);
        await audit.RecordAsync(actor, AuditActions.UserDisabled, "b@example.org", null, null);
        await audit.RecordAsync(UniqueEmail("other"), AuditActions.UserDisabled, "c@example.org", null, null);

        var byActor = ParseCsv(await ExportAsync($"&actor={Uri.EscapeDataString(actor)}")).Skip(1).ToArray();
        var byBoth = ParseCsv(await ExportAsync($"&actor={Uri.EscapeDataString(actor)}&action={AuditActions.UserDisabled}")).Skip(1).ToArray();
        var future = ParseCsv(await ExportAsync($"&actor={Uri.EscapeDataString(actor)}&from=2999-01-01T00:00:00Z")).Skip(1).ToArray();
        var past = ParseCsv(await ExportAsync($"&actor={Uri.EscapeDataString(actor)}&to=2000-01-01")).Skip(1).ToArray();
        var now = ParseCsv(await ExportAsync(
            $"&actor={Uri.EscapeDataString(actor)}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}" +
            $"&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")).Skip(1).ToArray();

        Assert.Equal(["b@example.org", "a@example.org"], byActor.Select(r => r[3]));
        Assert.Equal(["b@example.org"], byBoth.Select(r => r[3]));
        Assert.Empty(future);
        Assert.Empty(past);
        Assert.Equal(2, now.Length);
    }

    [Fact]
    public async Task Json_export_lists_matching_entries_newest_first()
    {
        var audit = app.Services.GetRequiredService<AuditLog>();
        var actor = UniqueEmail("json");
        await audit.RecordAsync(actor, AuditActions.UserCreated, "first@example.org", "role=Viewer", "10.0.0.1");
        await audit.RecordAsync(actor, AuditActions.UserEnabled, "second@example.org", null, null);
        using var admin = app.CreateClient(AdminKey);

        var entries = (await admin.GetFromJsonAsync<JsonArray>($"/api/audit?actor={Uri.EscapeDataString(actor)}"))!;

        Assert.Equal(["second@example.org", "first@example.org"], entries.Select(e => e!["target"]!.GetValue<string>()));
        Assert.Equal("10.0.0.1", entries[1]!["remoteIp"]!.GetValue<string>());
        Assert.Equal(AuditActions.UserCreated, entries[1]!["action"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2014-13-45", "to")]
    [InlineData("from=2014-06-20T00:00:00Z&to=2014-06-10T00:00:00Z", "from")]
    [InlineData("format=xml", "format")]
    [InlineData("action=user.deleted", "action")]
    public async Task Bad_parameters_are_refused_naming_them(string query, string parameter)
    {
        using var admin = app.CreateClient(AdminKey);

        using var response = await admin.GetAsync("/api/audit?" + query);

        var errors = await response.AssertValidationProblemAsync();
        Assert.Equal([parameter], errors.Keys);
    }

    [Theory]
    [InlineData(ViewerKey)]
    [InlineData(ReporterKey)]
    [InlineData(CoordinatorKey)]
    public async Task Only_admins_read_the_audit_trail(string key)
    {
        using var client = app.CreateClient(key);

        await (await client.GetAsync("/api/audit?format=csv")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync("/api/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Audit_trail_refuses_anonymous_requests()
    {
        using var client = app.CreateClient();

        await (await client.GetAsync("/api/audit?format=csv")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Export_link_carries_the_page_filters()
    {
        var url = AuditApi.CsvUrl(new AuditQuery(
            new DateTimeOffset(2014, 6, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2014, 6, 11, 0, 0, 0, TimeSpan.Zero),
            "a b@example.org", AuditActions.UserCreated, "x&y=z"));

        Assert.Equal("/api/audit?format=csv&from=2014-06-10T00%3A00%3A00.000Z&to=2014-06-11T00%3A00%3A00.000Z" +
                     "&actor=a%20b%40example.org&action=user.created&text=x%26y%3Dz", url);
    }
}
