using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Alerts;

/// <summary>A rule as a client sends it: everything optional, so a missing field is reported by name, not as bad JSON.</summary>
public sealed record RuleInput(
    string? Id,
    string? Name,
    string? IndicatorId,
    string? SiteId,
    string? Region,
    RuleOperator? Operator,
    double? Threshold,
    double? ClearThreshold,
    IReadOnlyList<string>? States,
    TimeSpan? BaselineWindow,
    TimeSpan? For,
    TimeSpan? StaleAfter,
    Severity? Severity,
    bool? Enabled)
{
    public static RuleInput From(AlertRule rule) => new(
        rule.Id, rule.Name, rule.IndicatorId, rule.SiteId, rule.Region, rule.Operator, rule.Threshold, rule.ClearThreshold,
        rule.States, rule.BaselineWindow, rule.For, rule.StaleAfter, rule.Severity, rule.Enabled);
}

/// <summary>What <c>POST /api/rules/preview</c> answers: one episode the rule would have raised.</summary>
public sealed record EpisodeView(
    string SiteId, string SiteName, DateTimeOffset StartedAt, DateTimeOffset? FiredAt, DateTimeOffset? ResolvedAt, double? Peak, string? PeakState, bool NoData);

public sealed record AcknowledgeRequest(string? Comment, DateTimeOffset? Until);

public sealed record SilenceRequest(string? RuleId, string? SiteId, string? Region, DateTimeOffset? EndsAt, string? Reason);

/// <summary>
/// Everything a person does to alerting — rules, previews, acknowledgements, silences — validated once for the API
/// and the pages alike, audited with who and from where, and handed to the engine so it takes effect at once.
/// </summary>
public sealed partial class AlertCommands(
    AlertRules rules,
    AlertEngine engine,
    AlertStore store,
    CatalogService catalog,
    IObservationReader observations,
    AuditLog audit,
    TimeProvider time,
    IOptions<AlertOptions> options)
{
    public const int MaxCommentLength = 1_000;
    public static readonly TimeSpan MaxPreviewRange = TimeSpan.FromDays(366);

    public async Task<AdminResult<AlertRule>> CreateRuleAsync(RuleInput input, ClaimsPrincipal by, string? remoteIp, CancellationToken cancellationToken)
    {
        string id;
        if (input.Id is { } requested)
        {
            if (!IdPattern().IsMatch(requested))
                return AdminResult<AlertRule>.From(AdminResult.Failure("id", "id is 1–64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit."));
            if (rules.Find(requested) is not null)
                return AdminResult<AlertRule>.From(AdminResult.Refused("id", $"A rule '{requested}' exists already; change it with PUT /api/rules/{requested}."));
            id = requested;
        }
        else
        {
            id = NewId(input.Name);
        }

        var (rule, errors) = ToRule(input, id);
        if (rule is null) return new AdminResult<AlertRule>(null, errors);
        await rules.SaveAsync(rule, AuditLog.ActorOf(by), cancellationToken);
        await engine.RuleChangedAsync(rule.Id, cancellationToken);
        await audit.RecordAsync(by, AuditActions.RuleCreated, rule.Id, Describe(rule), remoteIp, cancellationToken);
        return AdminResult<AlertRule>.Of(rule);
    }

    public async Task<AdminResult<AlertRule>> UpdateRuleAsync(string id, RuleInput input, ClaimsPrincipal by, string? remoteIp, CancellationToken cancellationToken)
    {
        if (rules.Find(id) is null) return AdminResult<AlertRule>.From(AdminResult.Missing("id", $"No rule '{id}'."));
        if (input.Id is { } bodyId && bodyId != id)
            return AdminResult<AlertRule>.From(AdminResult.Failure("id", $"The body's id '{bodyId}' differs from the address's '{id}'; a rule's id cannot change."));

        var (rule, errors) = ToRule(input, id);
        if (rule is null) return new AdminResult<AlertRule>(null, errors);
        await rules.SaveAsync(rule, AuditLog.ActorOf(by), cancellationToken);
        await engine.RuleChangedAsync(rule.Id, cancellationToken);
        await audit.RecordAsync(by, AuditActions.RuleUpdated, rule.Id, Describe(rule), remoteIp, cancellationToken);
        return AdminResult<AlertRule>.Of(rule);
    }

    public async Task<AdminResult> DeleteRuleAsync(string id, ClaimsPrincipal by, string? remoteIp, CancellationToken cancellationToken)
    {
        if (rules.Find(id) is not { } rule || !await rules.DeleteAsync(id, cancellationToken))
            return AdminResult.Missing("id", $"No rule '{id}'.");
        await engine.RuleChangedAsync(id, cancellationToken);
        await audit.RecordAsync(by, AuditActions.RuleDeleted, id, $"name={rule.Name}", remoteIp, cancellationToken);
        return AdminResult.Ok;
    }

    /// <summary>
    /// The episodes a rule (not saved) would have raised over the stored readings between <paramref name="from"/> and
    /// <paramref name="to"/> (default: up to the last stored reading and at most 366 days back), per site.
    /// </summary>
    public async Task<AdminResult<IReadOnlyList<EpisodeView>>> PreviewAsync(
        RuleInput input, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var (rule, errors) = ToRule(input, input.Id ?? "preview");
        var rangeErrors = new Dictionary<string, string[]>(errors, StringComparer.Ordinal);
        if (from is { } f && to is { } t && f >= t) rangeErrors["to"] = ["to must be after from."];
        if (from is { } f2 && to is { } t2 && t2 - f2 > MaxPreviewRange) rangeErrors["from"] = ["A preview covers at most 366 days."];
        if (rule is null || rangeErrors.Count > 0) return new AdminResult<IReadOnlyList<EpisodeView>>(null, rangeErrors);

        var extent = await observations.ExtentAsync(cancellationToken);
        if (extent is null) return AdminResult<IReadOnlyList<EpisodeView>>.Of([]);
        var end = to ?? extent.Last;
        var start = from ?? Later(extent.First, end - MaxPreviewRange);
        if (end - start > MaxPreviewRange) start = end - MaxPreviewRange;

        var snapshot = catalog.Current;
        var indicator = snapshot.FindIndicator(rule.IndicatorId)!;
        var lookBack = rule.BaselineWindow ?? TimeSpan.Zero;
        var episodes = new List<EpisodeView>();
        foreach (var site in snapshot.Sites.Where(s => rule.Covers(s, indicator)))
        {
            var points = await observations.QueryAsync(
                new SeriesQuery(site.Id, indicator.Id, start - lookBack, end, MaxPoints: int.MaxValue), indicator.Kind, cancellationToken);
            var readings = points.Select(p => new Observation(site.Id, indicator.Id, p.Timestamp, p.Value, p.State, p.Source, p.Note));
            episodes.AddRange(RulePreview.Replay(rule, indicator, site.Id, readings, end, options.Value.Flapping)
                .Where(e => (e.ResolvedAt ?? end) >= start)
                .Select(e => new EpisodeView(site.Id, site.Name, e.StartedAt, e.FiredAt, e.ResolvedAt, e.Peak, e.PeakState, e.NoData)));
        }
        return AdminResult<IReadOnlyList<EpisodeView>>.Of(episodes.OrderBy(e => e.StartedAt).ThenBy(e => e.SiteName, StringComparer.Ordinal).ToArray());
    }

    public async Task<AdminResult<AlertView>> AcknowledgeAsync(
        Guid id, AcknowledgeRequest input, ClaimsPrincipal by, string? remoteIp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim();
        if (TextProblem(comment, "comment", MaxCommentLength) is { } problem) return AdminResult<AlertView>.From(problem);
        if (input.Until is { } until && until <= now)
            return AdminResult<AlertView>.From(AdminResult.Failure("until", "until must lie in the future (or be left out: acknowledged until resolved)."));

        var actor = AuditLog.ActorOf(by);
        var (status, view) = await engine.AcknowledgeAsync(id, new Acknowledgement(actor, now, comment, input.Until?.ToUniversalTime()), cancellationToken);
        switch (status)
        {
            case AlertCommandStatus.NotFound:
                return AdminResult<AlertView>.From(AdminResult.Missing("id", $"No alert '{id}'."));
            case AlertCommandStatus.NotActive:
                return AdminResult<AlertView>.From(AdminResult.Refused("id", "This alert is resolved; there is nothing left to acknowledge."));
        }
        await audit.RecordAsync(by, AuditActions.AlertAcknowledged, id.ToString(),
            $"until={input.Until?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? "resolved"}; comment={comment}", remoteIp, cancellationToken);
        return AdminResult<AlertView>.Of(view!);
    }

    public async Task<AdminResult<Silence>> AddSilenceAsync(SilenceRequest input, ClaimsPrincipal by, string? remoteIp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var snapshot = catalog.Current;
        if (input.RuleId is null && input.SiteId is null && input.Region is null)
            errors["ruleId"] = ["Say what to silence: a ruleId, a siteId, a region, or a combination."];
        if (input.RuleId is not null && rules.Find(input.RuleId) is null) errors["ruleId"] = [$"No rule '{input.RuleId}'."];
        if (input.SiteId is not null && snapshot.FindSite(input.SiteId) is null) errors["siteId"] = [$"Unknown site '{input.SiteId}'."];
        if (input.Region is not null && !snapshot.Sites.Any(s => string.Equals(s.Region, input.Region, StringComparison.OrdinalIgnoreCase)))
            errors["region"] = [$"No site lies in region '{input.Region}'."];
        if (input.EndsAt is { } ends && ends <= now) errors["endsAt"] = ["endsAt must lie in the future (or be left out: until resolved)."];
        var reason = input.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors["reason"] = ["Say why: a silence without a reason outlives it."];
        else if (TextProblem(reason, "reason", Silence.MaxReasonLength) is { } problem) errors["reason"] = problem.Errors["reason"];
        if (errors.Count > 0) return new AdminResult<Silence>(null, errors);

        var silence = new Silence(Guid.NewGuid(), input.RuleId, input.SiteId, input.Region, input.EndsAt?.ToUniversalTime(), reason!, AuditLog.ActorOf(by), now);
        if (await engine.AddSilenceAsync(silence, cancellationToken) == AlertCommandStatus.NothingToSilence)
            return AdminResult<Silence>.From(AdminResult.Failure("endsAt",
                "Nothing in this scope is active, so \"until resolved\" would end at once; give endsAt to silence what may come."));
        await audit.RecordAsync(by, AuditActions.SilenceCreated, silence.Id.ToString(),
            $"rule={silence.RuleId}; site={silence.SiteId}; region={silence.Region}; endsAt={silence.EndsAt?.ToString("O", CultureInfo.InvariantCulture) ?? "resolved"}; reason={reason}",
            remoteIp, cancellationToken);
        return AdminResult<Silence>.Of(silence);
    }

    public async Task<AdminResult> EndSilenceAsync(Guid id, ClaimsPrincipal by, string? remoteIp, CancellationToken cancellationToken)
    {
        if (await engine.EndSilenceAsync(id, cancellationToken) == AlertCommandStatus.NotFound)
            return AdminResult.Missing("id", $"No silence '{id}' in force.");
        await audit.RecordAsync(by, AuditActions.SilenceEnded, id.ToString(), "ended by hand", remoteIp, cancellationToken);
        return AdminResult.Ok;
    }

    public Task<IReadOnlyList<Silence>> SilencesAsync(CancellationToken cancellationToken) => store.SilencesAsync(inForceOnly: true, cancellationToken);

    /// <summary>The rule the input describes, or the errors that keep it from being one (keyed by JSON field).</summary>
    public (AlertRule? Rule, IReadOnlyDictionary<string, string[]> Errors) ToRule(RuleInput input, string id)
    {
        var rule = new AlertRule(
            id, input.Name?.Trim() ?? "", input.IndicatorId ?? "", NullIfEmpty(input.SiteId), NullIfEmpty(input.Region), input.Operator,
            input.Threshold, input.ClearThreshold, input.States is { Count: > 0 } states ? states : null, input.BaselineWindow, input.For,
            input.StaleAfter, input.Severity ?? Severity.Warning, input.Enabled ?? true);
        var errors = RuleValidator.Validate(rule, catalog.Current).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (input.Severity is null) errors["severity"] = ["severity is required: info, warning or critical."];
        return errors.Count == 0 ? (rule, errors) : (null, errors);
    }

    private string NewId(string? name)
    {
        var slug = Slug().Replace((name ?? "rule").ToLowerInvariant(), "-").Trim('-');
        if (slug.Length == 0) slug = "rule";
        if (slug.Length > 56) slug = slug[..56].TrimEnd('-');
        var id = slug;
        for (var n = 2; rules.Find(id) is not null; n++) id = $"{slug}-{n}";
        return id;
    }

    private static AdminResult? TextProblem(string? text, string field, int maxLength)
    {
        if (text is null) return null;
        if (text.Length > maxLength) return AdminResult.Failure(field, $"{field} is at most {maxLength:N0} characters.");
        return text.Any(c => char.IsControl(c) && c is not '\n' and not '\t')
            ? AdminResult.Failure(field, $"{field} must not contain control characters (line breaks and tabs are fine).")
            : null;
    }

    private static string Describe(AlertRule rule) => FormattableString.Invariant(
        $"name={rule.Name}; indicator={rule.IndicatorId}; scope={rule.SiteId ?? rule.Region ?? "all"}; operator={rule.Operator}; threshold={rule.Threshold}; clear={rule.ClearThreshold}; states={string.Join('|', rule.States ?? [])}; for={rule.For}; staleAfter={rule.StaleAfter}; severity={rule.Severity}; enabled={rule.Enabled}");

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();
}
