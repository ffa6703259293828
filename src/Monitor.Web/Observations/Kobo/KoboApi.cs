using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Monitor.Domain.Kobo;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Security;

namespace Monitor.Web.Observations.Kobo;

/// <summary>
/// <c>POST /api/ingest/kobo/{mapping}</c>: the target of a KoboToolbox REST Service (JSON). Kobo authenticates with basic
/// auth (the API key as the password) or a custom <c>X-Api-Key</c> header; either way the key needs the Reporter role.
/// </summary>
public static class KoboApi
{
    public const string Path = "/api/ingest/kobo";
    private const long MaxBodyBytes = 1024 * 1024;

    public static IServiceCollection AddKoboIngest(this IServiceCollection services) =>
        services.AddSingleton<KoboMappings>().AddSingleton<KoboIntake>();

    public static IEndpointRouteBuilder MapKoboApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(Path).WithTags("Observations")
            .MapPost("/{mapping}", PostSubmission)
            .RequireAuthorization(Policies.Reporter)
            .RequireRateLimiting(RateLimitPolicies.Observations);
        return app;
    }

    public static async Task<Results<Accepted<KoboReceipt>, Ok<KoboReceipt>, ProblemHttpResult>> PostSubmission(
        string mapping, HttpRequest request, KoboMappings mappings, KoboIntake intake, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (mappings.Find(mapping) is not { } form)
            return JsonBody.Problem(StatusCodes.Status404NotFound, "No such KoboToolbox mapping",
                new Dictionary<string, string[]> { ["mapping"] = [$"There is no mapping '{mapping}'; mappings are the files of the KoboToolbox mappings folder."] });

        var (body, problem) = await JsonBody.ReadAsync<JsonElement>(request, json.Value.SerializerOptions, MaxBodyBytes,
            "a KoboToolbox submission (a JSON object)", cancellationToken);
        if (problem is not null) return problem;
        if (body.ValueKind != JsonValueKind.Object)
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "The submission was refused; nothing was stored.",
                new Dictionary<string, string[]> { ["body"] = ["Send one KoboToolbox submission as a JSON object."] });

        var submission = KoboSubmission.Read(form, Flatten(body));
        var outcome = await intake.ReceiveAsync(form, submission, Submitter.Of(request.HttpContext, "kobo"), cancellationToken);
        return outcome switch
        {
            { Receipt: { Duplicate: true } earlier } => TypedResults.Ok(earlier),
            { Receipt: { } receipt } => TypedResults.Accepted((string?)null, receipt),
            { Status: SubmissionStatus.Conflict } => JsonBody.Problem(StatusCodes.Status409Conflict,
                "The submission would overwrite recorded readings; nothing was stored. Correct a reading instead.", outcome.Errors),
            _ => JsonBody.Problem(StatusCodes.Status400BadRequest, "The submission was refused; nothing was stored.", outcome.Errors),
        };
    }

    /// <summary>
    /// Answers by their <c>group/question</c> path. Kobo sends them flat already; nested groups (as ODK Central and Ona
    /// send) are joined with <c>/</c>. Lists (attachments, tags, repeats) carry nothing a mapping reads.
    /// </summary>
    internal static Dictionary<string, string?> Flatten(JsonElement submission)
    {
        var answers = new Dictionary<string, string?>(StringComparer.Ordinal);
        Add(submission, "");
        return answers;

        void Add(JsonElement element, string prefix)
        {
            foreach (var property in element.EnumerateObject())
            {
                var path = prefix + property.Name;
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.Object: Add(value, path + "/"); break;
                    case JsonValueKind.String: answers[path] = value.GetString(); break;
                    case JsonValueKind.Number: answers[path] = value.GetRawText(); break;
                    case JsonValueKind.True or JsonValueKind.False: answers[path] = value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(); break;
                    case JsonValueKind.Null: answers[path] = null; break;
                }
            }
        }
    }
}
