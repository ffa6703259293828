using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Web.Observations;
using Monitor.Web.Security;

namespace Monitor.Web.Alerts;

/// <summary>Rules (with a preview over history), alerts with their history and acknowledgement, and silences.</summary>
public static class AlertsApi
{
    private const long MaxBodyBytes = 64 * 1024;
    private const string RuleShape = "a JSON rule object {name, indicatorId, siteId?, region?, operator, threshold?, clearThreshold?, states?, baselineWindow?, for?, staleAfter?, severity, enabled}";

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/rules").WithTags("Alerting");
        rules.MapGet("/", GetRules).RequireAuthorization(Policies.Viewer);
        rules.MapPost("/", CreateRule).RequireAuthorization(Policies.Coordinator);
        rules.MapPost("/preview", Preview).RequireAuthorization(Policies.Coordinator);
        rules.MapPut("/{id}", UpdateRule).RequireAuthorization(Policies.Coordinator);
        rules.MapDelete("/{id}", DeleteRule).RequireAuthorization(Policies.Coordinator);

        var alerts = app.MapGroup("/api/alerts").WithTags("Alerting");
        alerts.MapGet("/", GetAlerts).RequireAuthorization(Policies.Viewer);
        alerts.MapGet("/{id:guid}/history", GetHistory).RequireAuthorization(Policies.Viewer);
        alerts.MapPost("/{id:guid}/acknowledge", Acknowledge).RequireAuthorization(Policies.Coordinator);

        var silences = app.MapGroup("/api/silences").WithTags("Alerting");
        silences.MapGet("/", GetSilences).RequireAuthorization(Policies.Viewer);
        silences.MapPost("/", CreateSilence).RequireAuthorization(Policies.Coordinator);
        silences.MapDelete("/{id:guid}", EndSilence).RequireAuthorization(Policies.Coordinator);
        return app;
    }

    public static Ok<IReadOnlyList<AlertRule>> GetRules(AlertRules rules) => TypedResults.Ok(rules.Current);

    public static async Task<Results<Created<AlertRule>, ProblemHttpResult>> CreateRule(
        HttpRequest request, AlertCommands commands, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (input, problem) = await JsonBody.ReadAsync<RuleInput>(request, json.Value.SerializerOptions, MaxBodyBytes, RuleShape, cancellationToken);
        if (problem is not null) return problem;
        if (input is null) return BodyRequired(RuleShape);
        var result = await commands.CreateRuleAsync(input, request.HttpContext.User, ClientAddress.Of(request.HttpContext), cancellationToken);
        if (result.Value is not { } rule) return Problem(result, "The rule was not saved.");
        return TypedResults.Created($"/api/rules/{rule.Id}", rule);
    }

    public static async Task<Results<Ok<AlertRule>, ProblemHttpResult>> UpdateRule(
        string id, HttpRequest request, AlertCommands commands, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (input, problem) = await JsonBody.ReadAsync<RuleInput>(request, json.Value.SerializerOptions, MaxBodyBytes, RuleShape, cancellationToken);
        if (problem is not null) return problem;
        if (input is null) return BodyRequired(RuleShape);
        var result = await commands.UpdateRuleAsync(id, input, request.HttpContext.User, ClientAddress.Of(request.HttpContext), cancellationToken);
        return result.Value is { } rule ? TypedResults.Ok(rule) : Problem(result, "The rule was not saved.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(
        string id, HttpContext context, AlertCommands commands, CancellationToken cancellationToken)
    {
        var result = await commands.DeleteRuleAsync(id, context.User, ClientAddress.Of(context), cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : Problem(result, "No such rule");
    }

    /// <summary>
    /// Body: a rule, not saved, with <c>from</c> and <c>to</c> beside its fields (or the rule under <c>rule</c>).
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<EpisodeView>>, ProblemHttpResult>> Preview(
        HttpRequest request, AlertCommands commands, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        const string shape = "a JSON rule object with from and to";
        var options = json.Value.SerializerOptions;
        var (body, problem) = await JsonBody.ReadAsync<PreviewRequest>(request, options, MaxBodyBytes, shape, cancellationToken);
        if (problem is not null) return problem;
        if (body is null) return BodyRequired(shape);

        RuleInput? input;
        try
        {
            input = body.Rule is { ValueKind: JsonValueKind.Object } nested
                ? nested.Deserialize<RuleInput>(options)
                : body.Fields is { } fields ? JsonSerializer.SerializeToElement(fields, options).Deserialize<RuleInput>(options) : null;
        }
        catch (JsonException ex)
        {
            var key = ex.Path is null or "$" ? "rule" : ex.Path.TrimStart('$').TrimStart('.');
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON of the expected shape.",
                new Dictionary<string, string[]> { [key] = [$"Not valid here: send {shape} with the documented field types."] });
        }
        if (input is null) return BodyRequired(shape);

        var result = await commands.PreviewAsync(input, body.From, body.To, cancellationToken);
        return result.Value is { } episodes ? TypedResults.Ok(episodes) : Problem(result, "The rule cannot be previewed.");
    }

    public static async Task<Results<Ok<IReadOnlyList<AlertView>>, ProblemHttpResult>> GetAlerts(
        string? status, int? limit, AlertStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (status is not (null or "active" or "all")) errors["status"] = ["status is 'active' (the default) or 'all'."];
        if (limit is < 1 or > 5_000) errors["limit"] = ["limit lies between 1 and 5,000 (default 500)."];
        if (errors.Count > 0) return JsonBody.Problem(StatusCodes.Status400BadRequest, "One or more query values are invalid.", errors);
        return TypedResults.Ok(await store.ListAsync(status != "all", limit ?? 500, cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<AlertView>>, ProblemHttpResult>> GetHistory(
        Guid id, AlertStore store, CancellationToken cancellationToken)
    {
        var history = await store.HistoryAsync(id, cancellationToken);
        return history.Count > 0
            ? TypedResults.Ok(history)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such alert", detail: $"No alert '{id}'.");
    }

    public static async Task<Results<Ok<AlertView>, ProblemHttpResult>> Acknowledge(
        Guid id, HttpRequest request, AlertCommands commands, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        const string shape = "a JSON object {comment?, until?}";
        AcknowledgeRequest? input = new(null, null);
        if (request.ContentLength is not 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<AcknowledgeRequest>(request, json.Value.SerializerOptions, MaxBodyBytes, shape, cancellationToken);
            if (problem is not null) return problem;
            input = body ?? input;
        }
        var result = await commands.AcknowledgeAsync(id, input, request.HttpContext.User, ClientAddress.Of(request.HttpContext), cancellationToken);
        return result.Value is { } alert ? TypedResults.Ok(alert) : Problem(result, "The alert was not acknowledged.");
    }

    public static async Task<Ok<IReadOnlyList<Silence>>> GetSilences(AlertCommands commands, CancellationToken cancellationToken) =>
        TypedResults.Ok(await commands.SilencesAsync(cancellationToken));

    public static async Task<Results<Created<Silence>, ProblemHttpResult>> CreateSilence(
        HttpRequest request, AlertCommands commands, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        const string shape = "a JSON object {ruleId?, siteId?, region?, endsAt?, reason}";
        var (input, problem) = await JsonBody.ReadAsync<SilenceRequest>(request, json.Value.SerializerOptions, MaxBodyBytes, shape, cancellationToken);
        if (problem is not null) return problem;
        if (input is null) return BodyRequired(shape);
        var result = await commands.AddSilenceAsync(input, request.HttpContext.User, ClientAddress.Of(request.HttpContext), cancellationToken);
        if (result.Value is not { } silence) return Problem(result, "The silence was not created.");
        return TypedResults.Created($"/api/silences/{silence.Id}", silence);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> EndSilence(
        Guid id, HttpContext context, AlertCommands commands, CancellationToken cancellationToken)
    {
        var result = await commands.EndSilenceAsync(id, context.User, ClientAddress.Of(context), cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : Problem(result, "No such silence");
    }

    /// <summary>The preview body: the rule's fields at the top level (or under <c>rule</c>) beside <c>from</c> and <c>to</c>.</summary>
    public sealed class PreviewRequest
    {
        public JsonElement? Rule { get; set; }
        public DateTimeOffset? From { get; set; }
        public DateTimeOffset? To { get; set; }

        [System.Text.Json.Serialization.JsonExtensionData]
        public Dictionary<string, JsonElement>? Fields { get; set; }
    }

    private static ProblemHttpResult Problem(AdminResult result, string title) => JsonBody.Problem(
        result.NotFound ? StatusCodes.Status404NotFound : result.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
        title, result.Errors);

    private static ProblemHttpResult BodyRequired(string shape) => JsonBody.Problem(StatusCodes.Status400BadRequest,
        "A body is required.", new Dictionary<string, string[]> { ["body"] = [$"Send {shape}."] });
}
