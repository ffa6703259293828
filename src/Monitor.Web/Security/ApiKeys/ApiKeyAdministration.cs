using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Web.Audit;
using Monitor.Web.Data;

namespace Monitor.Web.Security.ApiKeys;

public enum ApiKeyStatus
{
    Active,
    Expired,
    Revoked,

    /// <summary>Set in the app's configuration (<c>Auth:ApiKeys</c>): listed, but changed only there.</summary>
    Configuration,
}

/// <summary>A key as an admin sees it. The secret is never part of it; configured keys have no id and no prefix.</summary>
public sealed record ApiKeySummary(
    Guid? Id,
    string Name,
    Role Role,
    ApiKeyStatus Status,
    string? Prefix,
    DateTimeOffset? CreatedAt,
    string? CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    DateTimeOffset? LastUsedAt)
{
    public bool ReadOnly => Status == ApiKeyStatus.Configuration;
}

public sealed record NewApiKey(string? Name, string? Role, DateTimeOffset? ExpiresAt);

/// <summary>A new key and its secret, which is shown this once: only its hash is stored.</summary>
public sealed record CreatedApiKey(ApiKeySummary Key, string Secret);

/// <summary>Issues, lists and revokes the API keys kept in the database; lists the configured ones beside them.</summary>
public sealed class ApiKeyAdministration(
    IDbContextFactory<MonitorDbContext> dbFactory,
    ApiKeyLookup lookup,
    AuditLog audit,
    IOptionsMonitor<AuthOptions> configured,
    TimeProvider time)
{
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var fromConfiguration = configured.CurrentValue.ApiKeys
            .Where(k => !string.IsNullOrWhiteSpace(k.Name) && Enum.TryParse<Role>(k.Role, ignoreCase: true, out _))
            .Select(k => new ApiKeySummary(null, k.Name!, Enum.Parse<Role>(k.Role!, ignoreCase: true), ApiKeyStatus.Configuration,
                null, null, null, null, null, null, null));
        return [.. rows.Select(r => Summarize(r, now)), .. fromConfiguration];
    }

    public async Task<AdminResult<CreatedApiKey>> CreateAsync(NewApiKey request, ClaimsPrincipal actor, string? remoteIp = null,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength) errors["name"] = [$"name is required, 1 to {MaxNameLength} characters."];
        else if (name.Any(char.IsControl)) errors["name"] = ["name must not contain control characters."];
        var role = Enum.GetNames<Role>().FirstOrDefault(n => string.Equals(n, request.Role?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (role is null) errors["role"] = [$"role must be one of {string.Join(", ", Enum.GetNames<Role>())}."];
        if (request.ExpiresAt is { } expires && expires <= now) errors["expiresAt"] = ["expiresAt must lie in the future."];

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The name is how the audit trail names the key (key:NAME), so no two usable keys share one.
        if (!errors.ContainsKey("name")
            && (configured.CurrentValue.ApiKeys.Any(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
                || await db.ApiKeys.AnyAsync(k => k.Name == name && k.RevokedAt == null, cancellationToken)))
        {
            errors["name"] = [$"An API key named '{name}' already exists; pick another name or revoke that key first."];
        }
        if (errors.Count > 0) return new(null, errors);

        var secret = ApiKeySecrets.Generate();
        var row = new ApiKeyRow
        {
            Id = Guid.NewGuid(), Name = name, Role = role!, Prefix = ApiKeySecrets.Prefix(secret), Hash = ApiKeySecrets.Hash(secret),
            CreatedAt = now, CreatedBy = AuditLog.ActorOf(actor), ExpiresAt = request.ExpiresAt,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);

        var expiry = row.ExpiresAt is { } at ? at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "never";
        await audit.RecordAsync(actor, AuditActions.ApiKeyCreated, name, $"id={row.Id}; role={row.Role}; prefix={row.Prefix}; expires={expiry}",
            remoteIp, CancellationToken.None);
        return AdminResult<CreatedApiKey>.Of(new CreatedApiKey(Summarize(row, now), secret));
    }

    /// <summary>Revokes a key: from the next request on it is refused. Revoking a revoked key changes nothing.</summary>
    public async Task<AdminResult> RevokeAsync(Guid id, ClaimsPrincipal actor, string? remoteIp = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) is not { } row)
            return AdminResult.Missing("id", $"There is no API key with id '{id}'.");
        if (row.RevokedAt is not null) return AdminResult.Ok;

        row.RevokedAt = time.GetUtcNow();
        row.RevokedBy = AuditLog.ActorOf(actor);
        await db.SaveChangesAsync(cancellationToken);
        lookup.Invalidate();

        await audit.RecordAsync(actor, AuditActions.ApiKeyRevoked, row.Name, $"id={row.Id}; prefix={row.Prefix}", remoteIp, CancellationToken.None);
        return AdminResult.Ok;
    }

    private static ApiKeySummary Summarize(ApiKeyRow row, DateTimeOffset now)
    {
        var status = row.RevokedAt is not null ? ApiKeyStatus.Revoked
            : row.ExpiresAt is { } expires && expires <= now ? ApiKeyStatus.Expired
            : ApiKeyStatus.Active;
        return new ApiKeySummary(row.Id, row.Name, Enum.Parse<Role>(row.Role, ignoreCase: true), status, row.Prefix, row.CreatedAt, row.CreatedBy,
            row.ExpiresAt, row.RevokedAt, row.RevokedBy, row.LastUsedAt);
    }
}
