namespace Monitor.Web.Security.ApiKeys;

/// <summary>
/// An API key created in the app. Only the SHA-256 hash of the secret is kept; the secret is shown once at creation.
/// Keys are revoked, never deleted, so the audit trail can always name them.
/// </summary>
public sealed class ApiKeyRow
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }

    /// <summary>The first characters of the secret, enough to recognise a key in a list.</summary>
    public required string Prefix { get; set; }

    public required byte[] Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
