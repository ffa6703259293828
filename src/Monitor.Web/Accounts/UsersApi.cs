using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>
/// Accounts for scripts that provision users: the same operations and rules as the <i>Users</i> page (the last enabled
/// admin can be neither demoted nor disabled → 409), audited with the caller and its address. Admins only.
/// </summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").RequireAuthorization(Policies.Admin).WithTags("Users");
        api.MapGet("/", GetUsers);
        api.MapPost("/", CreateUser).WithNoStore();
        api.MapPut("/{id}", UpdateUser);
        api.MapPost("/{id}/reset-password", ResetPassword).WithNoStore();
        return app;
    }

    public static async Task<Ok<IReadOnlyList<UserResponse>>> GetUsers(UserAdministration users, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<UserResponse>>([.. (await users.ListAsync(cancellationToken)).Select(UserResponse.From)]);

    public static async Task<Results<Created<IssuedPassword>, ValidationProblem, ProblemHttpResult>> CreateUser(
        NewUser request, UserAdministration users, ClaimsPrincipal caller, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await users.CreateAsync(request, caller, ClientAddress.Of(context), cancellationToken);
        if (result.Value is not { } created) return Refusal<Created<IssuedPassword>>(result);
        return TypedResults.Created($"/api/users/{created.User.Id}", new IssuedPassword(created.User.Id, created.Password));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        string id, UserUpdate request, UserAdministration users, ClaimsPrincipal caller, HttpContext context, CancellationToken cancellationToken)
    {
        if (request.Role is not null && await users.SetRoleAsync(id, request.Role, caller, ClientAddress.Of(context), cancellationToken) is { Succeeded: false } role)
            return Refusal<Ok<UserResponse>>(role);
        if (request.Disabled is { } disabled
            && await users.SetDisabledAsync(id, disabled, caller, ClientAddress.Of(context), cancellationToken) is { Succeeded: false } state)
            return Refusal<Ok<UserResponse>>(state);

        var user = (await users.ListAsync(cancellationToken)).FirstOrDefault(u => u.Id == id);
        return user is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user", detail: $"There is no user with id '{id}'.")
            : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<IssuedPassword>, ValidationProblem, ProblemHttpResult>> ResetPassword(
        string id, UserAdministration users, ClaimsPrincipal caller, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await users.ResetPasswordAsync(id, caller, ClientAddress.Of(context), cancellationToken);
        if (result.Value is not { } reset) return Refusal<Ok<IssuedPassword>>(result);
        return TypedResults.Ok(new IssuedPassword(reset.User.Id, reset.Password));
    }

    private static Results<T, ValidationProblem, ProblemHttpResult> Refusal<T>(AdminResult result) where T : IResult
    {
        if (result.NotFound) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user", detail: result.Message);
        if (result.Conflict) return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Refused", detail: result.Message);
        return TypedResults.ValidationProblem(result.Errors);
    }

}

public sealed record UserResponse(string Id, string Email, string? DisplayName, string? Role, bool Disabled, DateTimeOffset? LastSignInAt)
{
    public static UserResponse From(UserSummary user) =>
        new(user.Id, user.Email, user.DisplayName, user.Role?.ToString(), user.Disabled, user.LastLoginAt);
}

public sealed record UserUpdate(string? Role, bool? Disabled);

/// <summary>A generated password, answered once; it signs the user in at once.</summary>
public sealed record IssuedPassword(string Id, string Password);
