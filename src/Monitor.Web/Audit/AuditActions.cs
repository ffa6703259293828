namespace Monitor.Web.Audit;

/// <summary>The audited actions. Later features add theirs here (corrections, rules, acknowledgements).</summary>
public static class AuditActions
{
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginLockedOut = "login.locked_out";
    public const string Logout = "logout";
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role_changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserPasswordReset = "user.password_reset";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string ApiKeyRejected = "api_key.rejected";
    public const string CatalogChanged = "catalog.changed";
    public const string ObservationsSubmitted = "observations.submitted";
    public const string ObservationsResubmitted = "observations.resubmitted";
    public const string ObservationCorrected = "observation.corrected";
    public const string ConflictsFiled = "observation.conflicts_filed";
    public const string ConflictApplied = "observation.conflict_applied";
    public const string ConflictDiscarded = "observation.conflict_discarded";
    public const string BatchDeadLettered = "observations.dead_lettered";
    public const string RuleCreated = "rule.created";
    public const string RuleUpdated = "rule.updated";
    public const string RuleDeleted = "rule.deleted";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string SilenceCreated = "silence.created";
    public const string SilenceEnded = "silence.ended";
}
