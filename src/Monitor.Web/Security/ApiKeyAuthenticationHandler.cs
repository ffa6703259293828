using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Monitor.Web.Observations.Kobo;
using Monitor.Web.Security.ApiKeys;

namespace Monitor.Web.Security;

/// <summary>
/// Authenticates machines by API key, sent as <c>X-Api-Key</c>, as <c>Authorization: Bearer &lt;key&gt;</c> (what SignalR
/// clients' access-token factory sends) or, on the hub only, as the <c>access_token</c> query value (browsers cannot set
/// WebSocket headers), or on the KoboToolbox endpoint as the basic-auth password. Configured keys are compared by their SHA-256 hashes in constant time; keys issued in the app
/// are then looked up by the hash of the presented secret, and refused once revoked or expired.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth,
    ApiKeyLookup issuedKeys,
    ApiKeyMisses misses,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AuthMethodClaim = "auth_method";
    public const string KeyIdClaim = "api_key_id";

    private const string NotValid = "The API key is not valid.";
    private const string Revoked = "The API key has been revoked.";
    private const string Expired = "The API key has expired.";
    private const string TooMany = "Too many API keys that do not work were sent from this address.";
    private const string RetryAfterItem = "ApiKeyMisses.RetryAfter";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null) return AuthenticateResult.NoResult();

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var key in auth.CurrentValue.ApiKeys)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Key ?? ""));
            if (!CryptographicOperations.FixedTimeEquals(hash, presentedHash)) continue;

            var role = Enum.Parse<Role>(key.Role!, ignoreCase: true);
            return Success([new Claim(ClaimTypes.Name, key.Name!), new Claim(ClaimTypes.Role, role.ToString()), new Claim(AuthMethodClaim, "api_key")]);
        }

        if (!ApiKeySecrets.IsIssuedShape(presented)) return AuthenticateResult.Fail(NotValid);
        var address = ClientAddress.Of(Context) ?? "unknown";
        if (misses.IsRefused(address, out var retryAfter))
        {
            Context.Items[RetryAfterItem] = retryAfter;
            return AuthenticateResult.Fail(TooMany);
        }
        var issued = await issuedKeys.FindAsync(presented, Context.RequestAborted);
        var failure = issued switch
        {
            null => NotValid,
            { RevokedAt: not null } => Revoked,
            { ExpiresAt: { } expires } when expires <= time.GetUtcNow() => Expired,
            _ => null,
        };
        if (failure is not null)
        {
            await misses.RecordAsync(address, failure, ApiKeySecrets.Prefix(presented));
            return AuthenticateResult.Fail(failure);
        }

        await issuedKeys.RecordUseAsync(issued!, presented, Context.RequestAborted);
        return Success(
        [
            new Claim(ClaimTypes.Name, issued!.Name), new Claim(ClaimTypes.Role, issued.Role.ToString()), new Claim(AuthMethodClaim, "api_key"),
            new Claim(KeyIdClaim, issued.Id.ToString()),
        ]);
    }

    private static AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A client whose key was revoked or has expired is told so; an unknown key gets only the general advice.
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        if (failure == TooMany && Context.Items[RetryAfterItem] is TimeSpan retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            await MonitorAuthentication.WriteProblemAsync(Context, StatusCodes.Status429TooManyRequests, "Too many requests", $"{TooMany} Try again in {seconds} s.", seconds);
            return;
        }
        var reason = failure is Revoked or Expired ? failure + " " : "";
        await MonitorAuthentication.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            $"{reason}Send a valid API key in the {HeaderName} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        MonitorAuthentication.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key's role does not allow this action.");

    private string? PresentedKey()
    {
        var request = Request;
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header)) return header.ToString();

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();

        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
            return token.ToString();
        return BasicAuthPassword(request);
    }

    /// <summary>
    /// The password of <c>Authorization: Basic</c>, on the KoboToolbox endpoint only: Kobo's REST Services can send no
    /// other credential but a custom header, and the user name is whatever the form's owner typed.
    /// </summary>
    internal static string? BasicAuthPassword(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments(KoboApi.Path)) return null;
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
