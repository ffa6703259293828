using Microsoft.Extensions.Options;

namespace Monitor.Web.Security;

/// <summary>
/// A browser sends the login cookie with requests that any other site's page starts: a form posted across sites, a
/// WebSocket opened to the hub (WebSocket upgrades are not bound by CORS). Such requests carry that page's
/// <c>Origin</c>, so a request to <c>/api</c>, <c>/hubs</c> or the Blazor circuit that does not authenticate with an
/// API key and names an origin other than the app's own (or one of <c>Auth:AllowedOrigins</c>) is refused with 403
/// before anything else reads it. <c>Origin: null</c> (sandboxed frames, some redirects) counts as foreign. API keys
/// are not sent by browsers on their own, so they are accepted from any origin; a request without <c>Origin</c> is not
/// a cross-site browser request.
/// </summary>
public static class CrossSiteRequests
{
    public static IApplicationBuilder UseCrossSiteRequestCheck(this IApplicationBuilder app)
    {
        var allowed = app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.AllowedOrigins
            .Select(origin => new Uri(origin, UriKind.Absolute)).ToArray();
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (MonitorAuthentication.IsMachineEndpoint(request.Path)
                && request.Headers.Origin is [{ } origin, ..]
                && !MonitorAuthentication.CarriesApiKey(request)
                && !IsOwnOrAllowed(origin, request, allowed))
            {
                await MonitorAuthentication.WriteProblemAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                    "A signed-in browser session is accepted only from pages of this site. Programs send an API key instead.");
                return;
            }
            await next(context);
        });
    }

    private static bool IsOwnOrAllowed(string origin, HttpRequest request, Uri[] allowed)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || from.AbsolutePath != "/" || from.Query.Length > 0) return false;
        var own = new UriBuilder(request.Scheme, request.Host.Host, request.Host.Port ?? -1).Uri;
        return SameOrigin(from, own) || allowed.Any(a => SameOrigin(from, a));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
