using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Web.Accounts;

/// <summary>The account endpoints that are not pages: sign-out (a form POST, so a link or an image cannot sign anyone out).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(MonitorAuthentication.LogoutPath, LogoutAsync).RequireAuthorization(Policies.Viewer).ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> LogoutAsync(
        HttpContext context, IAntiforgery antiforgery, SignInManager<MonitorUser> signIn, AuditLog audit)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid form",
                detail: "The sign-out form is missing its antiforgery token or it has expired; reload the page and try again.");
        }

        var user = context.User;
        await signIn.SignOutAsync();
        await audit.RecordAsync(user, AuditActions.Logout, AuditLog.ActorOf(user), null, ClientAddress.Of(context));
        return TypedResults.LocalRedirect(MonitorAuthentication.LoginPath);
    }
}
