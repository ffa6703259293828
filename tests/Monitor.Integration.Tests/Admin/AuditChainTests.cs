using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Data;
using Monitor.Web.Data.Migrations;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Admin;

/// <summary>The hash chain of the audit trail, tampered with as someone holding the database file would: raw SQL, triggers dropped.</summary>
public sealed class AuditChainTests
{
    private sealed record VerificationDto(int Checked, long? FirstBrokenId, string? Problem, bool Intact);

    private static async Task<IReadOnlyList<long>> RecordAsync(MonitorAppFactory app, int count)
    {
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < count; i++) await audit.RecordAsync("admin@example.org", AuditActions.CatalogChanged, $"site-{i}", $"change {i}", "192.0.2.7");
        await using var db = await DbAsync(app);
        return await db.AuditEntries.Where(a => a.Action == AuditActions.CatalogChanged && a.Actor == "admin@example.org")
            .OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
    }

    private static async Task<MonitorDbContext> DbAsync(MonitorAppFactory app) =>
        await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();

    private static async Task TamperAsync(MonitorAppFactory app, params string[] statements)
    {
        await using var db = await DbAsync(app);
        foreach (var sql in statements) await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<VerificationDto> VerifyAsync(MonitorAppFactory app)
    {
        using var admin = app.CreateClient(AdminKey);
        using var response = await admin.GetAsync("/api/audit/verify");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationDto>())!;
    }

    [Fact]
    public async Task Every_entry_carries_its_hash_and_the_untouched_trail_verifies()
    {
        using var app = new MonitorAppFactory();
        await RecordAsync(app, 5);

        var verification = await VerifyAsync(app);

        Assert.True(verification.Intact, verification.Problem);
        await using var db = await DbAsync(app);
        Assert.Equal(await db.AuditEntries.CountAsync(), verification.Checked);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Hash == null));
    }

    [Fact]
    public async Task An_entry_changed_in_the_file_is_the_first_broken_link()
    {
        using var app = new MonitorAppFactory();
        var ids = await RecordAsync(app, 5);

        await TamperAsync(app, "DROP TRIGGER audit_entries_no_update;", $"UPDATE audit_entries SET Actor = 'someone else' WHERE Id = {ids[2]};");

        var verification = await VerifyAsync(app);
        Assert.False(verification.Intact);
        Assert.Equal(ids[2], verification.FirstBrokenId);
    }

    [Fact]
    public async Task An_entry_changed_with_its_hash_recomputed_breaks_the_link_of_the_next()
    {
        using var app = new MonitorAppFactory();
        var ids = await RecordAsync(app, 5);
        await using (var db = await DbAsync(app))
        {
            var previous = await db.AuditEntries.AsNoTracking().Where(a => a.Id < ids[1]).OrderByDescending(a => a.Id).Select(a => a.Hash).FirstAsync();
            var forged = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == ids[1]);
            forged.Details = "nothing happened";
            var hash = AuditChain.Hash(previous!, forged);
            await TamperAsync(app, "DROP TRIGGER audit_entries_no_update;",
                $"UPDATE audit_entries SET Details = 'nothing happened', Hash = '{hash}' WHERE Id = {ids[1]};");
        }

        var verification = await VerifyAsync(app);

        Assert.Equal(ids[2], verification.FirstBrokenId);
    }

    [Fact]
    public async Task A_removed_entry_breaks_the_link_of_the_one_after_it()
    {
        using var app = new MonitorAppFactory();
        var ids = await RecordAsync(app, 5);

        await TamperAsync(app, "DROP TRIGGER audit_entries_no_delete;", $"DELETE FROM audit_entries WHERE Id = {ids[3]};");

        var verification = await VerifyAsync(app);
        Assert.Equal(ids[4], verification.FirstBrokenId);
        Assert.Contains($"does not follow entry {ids[2]}", verification.Problem);
    }

    [Fact]
    public async Task Writers_at_the_same_time_chain_one_after_another()
    {
        using var app = new MonitorAppFactory();
        var audit = app.Services.GetRequiredService<AuditLog>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            audit.RecordAsync("key:1 (load)", AuditActions.ObservationsSubmitted, $"batch-{i}", null, null))));

        Assert.True((await VerifyAsync(app)).Intact);
    }

    [Fact]
    public async Task Entries_written_before_the_chain_are_chained_when_the_app_starts()
    {
        using var data = new TemporaryDirectory();
        using (var before = new MonitorAppFactory { DataDirectory = data.Path })
        {
            await RecordAsync(before, 3);
            // As the entries were before the migration: no hashes, the migration's own trigger in place.
            await TamperAsync(before, "DROP TRIGGER audit_entries_no_update;", "UPDATE audit_entries SET Hash = NULL;", AuditHashChain.NoUpdateTrigger);
            Assert.False((await VerifyAsync(before)).Intact);
        }
        SqliteConnection.ClearAllPools();

        using var after = new MonitorAppFactory { DataDirectory = data.Path };

        var verification = await VerifyAsync(after);
        Assert.True(verification.Intact, verification.Problem);
        Assert.True(verification.Checked >= 4);
        // The trigger still refuses every other change.
        await Assert.ThrowsAsync<SqliteException>(() => TamperAsync(after, "UPDATE audit_entries SET Details = 'edited';"));
    }

    [Fact]
    public async Task Only_admins_may_verify()
    {
        using var app = new MonitorAppFactory();
        using var coordinator = app.CreateClient(CoordinatorKey);

        using var response = await coordinator.GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
