namespace Monitor.Web.Audit;

/// <summary>
/// One audited action. The table is append-only: database triggers refuse UPDATE, DELETE and an INSERT onto an existing id
/// (REPLACE); each entry's <see cref="Hash"/> chains it to the one before, so editing the file directly is detectable.
/// </summary>
public sealed class AuditRow
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who: a user's email, an API key's name (<c>key:NAME</c>), or <c>system</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What, as a dotted name from <see cref="AuditActions"/>, e.g. <c>user.role_changed</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to: a user, a key, a site, a batch id.</summary>
    public string? Target { get; set; }

    public string? Details { get; set; }
    public string? RemoteIp { get; set; }

    /// <summary>SHA-256 of the previous entry's hash and this entry's content (<see cref="AuditChain"/>).</summary>
    public string? Hash { get; set; }
}
