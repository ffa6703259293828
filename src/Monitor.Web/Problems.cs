using System.Globalization;

namespace Monitor.Web;

/// <summary>
/// The one way the app answers with a problem outside an endpoint's typed results — middleware, authentication, rate
/// limits, exception handlers. It goes through <see cref="IProblemDetailsService"/>, as <c>TypedResults.Problem</c> does
/// for endpoints, so every refusal has one shape (status, title, detail, trace id) wherever it comes from.
/// </summary>
public static class Problems
{
    /// <returns>Whether a body was written (false when the client accepts no JSON; the status is set either way).</returns>
    public static async Task<bool> WriteAsync(
        HttpContext context, int status, string title, string detail, int? retryAfterSeconds = null, Exception? exception = null)
    {
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
