using Microsoft.AspNetCore.Identity;

namespace Monitor.Web.Security;

/// <summary>
/// The default authentication scheme: a request that carries a machine credential is the API-key scheme's, any other
/// request the login cookie's. One choice per request keeps a browser and a script from being mistaken for each other.
/// </summary>
public static class MonitorAuthentication
{
    public const string Scheme = "Monitor";

    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";
    public const string ReturnUrlParameter = "returnUrl";

    public static string SelectScheme(HttpContext context) =>
        CarriesApiKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme;

    /// <summary>The same places <see cref="ApiKeyAuthenticationHandler"/> looks for a key.</summary>
    public static bool CarriesApiKey(HttpRequest request) =>
        !string.IsNullOrEmpty(request.Headers[ApiKeyAuthenticationHandler.HeaderName])
        || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        || (request.Path.StartsWithSegments("/hubs") && !string.IsNullOrEmpty(request.Query["access_token"]))
        || ApiKeyAuthenticationHandler.BasicAuthPassword(request) is not null;

    /// <summary>
    /// Programs, not people, call these: they get 401 and 403 as problem details, never a redirect to an HTML login page
    /// (the Blazor circuit's own hub included, whose negotiate a redirect would only confuse).
    /// </summary>
    public static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/_blazor");

    /// <summary>A refusal of authentication or authorization; a 401 names the scheme that would be accepted.</summary>
    internal static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail, int? retryAfterSeconds = null)
    {
        if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = ApiKeyAuthenticationHandler.SchemeName;
        await Problems.WriteAsync(context, status, title, detail, retryAfterSeconds);
    }
}
