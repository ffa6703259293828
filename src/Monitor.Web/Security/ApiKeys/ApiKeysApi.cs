using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Monitor.Web.Security.ApiKeys;

/// <summary>API keys for automation: list, issue (the secret is in the response, once) and revoke. Admins only.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keys").RequireAuthorization(Policies.Admin).WithTags("API keys");
        api.MapGet("/", GetKeys);
        api.MapPost("/", CreateKey).WithNoStore();
        api.MapDelete("/{id:guid}", RevokeKey);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ApiKeySummary>>> GetKeys(ApiKeyAdministration keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(cancellationToken));

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateKey(
        NewApiKey request, ApiKeyAdministration keys, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await keys.CreateAsync(request, user, ClientAddress.Of(context), cancellationToken);
        if (result.Value is not { } created) return TypedResults.ValidationProblem(result.Errors);
        return TypedResults.Created($"/api/keys/{created.Key.Id}", created);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        Guid id, ApiKeyAdministration keys, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await keys.RevokeAsync(id, user, ClientAddress.Of(context), cancellationToken);
        if (result.NotFound)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown API key", detail: result.Message);
        return TypedResults.NoContent();
    }
}
