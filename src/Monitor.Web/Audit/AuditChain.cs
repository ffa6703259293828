using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monitor.Web.Data;

namespace Monitor.Web.Audit;

/// <summary>The answer of a check of the whole trail: how many entries were checked, and the first whose link is broken.</summary>
public sealed record AuditVerification(int Checked, long? FirstBrokenId, string? Problem)
{
    public bool Intact => FirstBrokenId is null;
}

/// <summary>
/// Chains the audit trail: each entry stores the SHA-256 of the previous entry's hash and its own canonical content, so
/// an entry edited, removed or slipped in by writing to the database file directly breaks the link of the first entry
/// after it that is still checked. (Entries cut from the very end leave no trace; a copy of the newest hash elsewhere
/// — an export, a log — covers that.)
/// </summary>
public static class AuditChain
{
    /// <summary>The hash of an entry whose predecessor has hash <paramref name="previous"/> ("" for the first entry).</summary>
    public static string Hash(string previous, AuditRow row)
    {
        // A JSON array: every field delimited and escaped, so no two different entries share a canonical form.
        var canonical = JsonSerializer.Serialize(new object?[] { row.Id, row.At.UtcTicks, row.Actor, row.Action, row.Target, row.Details, row.RemoteIp });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + "\n" + canonical)));
    }

    /// <summary>Checks every entry in order; stops at the first broken link.</summary>
    public static async Task<AuditVerification> VerifyAsync(MonitorDbContext db, CancellationToken cancellationToken)
    {
        var previous = "";
        long? previousId = null;
        var count = 0;
        await foreach (var row in db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (row.Hash is null) return new AuditVerification(count, row.Id, $"Entry {row.Id} has no hash: it was added outside the app.");
            if (row.Hash != Hash(previous, row))
            {
                return new AuditVerification(count, row.Id, previousId is { } before && row.Id != before + 1
                    ? $"Entry {row.Id} does not follow entry {before}: the entries between them were removed, or one of the two was changed."
                    : $"Entry {row.Id} does not match its hash: it, or the entry before it, was changed or removed.");
            }
            previous = row.Hash;
            previousId = row.Id;
        }
        return new AuditVerification(count, null, null);
    }

    /// <summary>
    /// Chains the entries written before the trail had hashes (right after the migration that added them). Only the
    /// step from no hash to a hash is allowed by the database; everything else about an entry stays refused.
    /// </summary>
    public static async Task SealExistingAsync(MonitorDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.AuditEntries.AnyAsync(a => a.Hash == null, cancellationToken)) return;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = "";
        foreach (var row in await db.AuditEntries.OrderBy(a => a.Id).ToListAsync(cancellationToken))
        {
            row.Hash ??= Hash(previous, row);
            previous = row.Hash;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
