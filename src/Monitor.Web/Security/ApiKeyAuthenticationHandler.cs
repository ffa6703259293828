using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Monitor.Web.Security;

/// <summary>
/// Authenticates machines by API key, sent as <c>X-Api-Key</c>, as <c>Authorization: Bearer &lt;key&gt;</c> (what SignalR
/// clients' access-token factory sends) or, on the hub only, as the <c>access_token</c> query value (browsers cannot set
/// WebSocket headers). Keys are compared by their SHA-256 hashes in constant time.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var key in auth.CurrentValue.ApiKeys)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Key ?? ""));
            if (!CryptographicOperations.FixedTimeEquals(hash, presentedHash)) continue;

            var role = Enum.Parse<Role>(key.Role!, ignoreCase: true);
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, key.Name!), new Claim(ClaimTypes.Role, role.ToString()), new Claim("auth_method", "api_key")],
                SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }

        return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            $"Send a valid API key in the {HeaderName} header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This API key's role does not allow this action.");

    private string? PresentedKey()
    {
        var request = Request;
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header)) return header.ToString();

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();

        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
            return token.ToString();
        return null;
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) Response.Headers.WWWAuthenticate = SchemeName;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
