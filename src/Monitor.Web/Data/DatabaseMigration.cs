using Microsoft.EntityFrameworkCore;
using Monitor.Web.Audit;

namespace Monitor.Web.Data;

/// <summary>Brings the embedded database to the current schema: created if missing, migrated, its audit chain sealed.</summary>
public sealed class DatabaseMigration(IDbContextFactory<MonitorDbContext> dbFactory, AppPaths paths)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await AuditChain.SealExistingAsync(db, cancellationToken);
        // Write-ahead logging (kept in the file): readers never block the audit writes of busy ingest, and a commit
        // costs one sync instead of a rollback journal's several.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
    }
}
