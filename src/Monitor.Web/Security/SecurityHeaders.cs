using System.Security.Cryptography;

namespace Monitor.Web.Security;

/// <summary>Response headers that keep the browser from running, framing or sniffing anything the app did not mean to serve.</summary>
public static class SecurityHeaders
{
    private const string NonceKey = "Monitor.ScriptNonce";

    /// <summary>
    /// The one inline script Blazor writes is the import map (it maps module names to fingerprinted files), so
    /// <c>script-src</c> admits it by a per-response nonce instead of allowing inline script. Styles stay
    /// <c>'unsafe-inline'</c>: MudBlazor and ApexCharts set style attributes and the theme is an inline style element.
    /// </summary>
    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "frame-ancestors 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "object-src 'none'";

    /// <summary>The nonce of this response's <c>script-src</c>, for the inline scripts the app itself renders.</summary>
    public static string? NonceOf(HttpContext? context) => context?.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        // Set as the response starts: error handling clears headers set earlier.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
