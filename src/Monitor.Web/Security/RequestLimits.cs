using Microsoft.AspNetCore.Http.Features;

namespace Monitor.Web.Security;

public static class RequestLimits
{
    /// <summary>The largest request body any endpoint accepts unless it declares its own limit.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Refuses a body whose announced length is over the endpoint's limit with 413 problem details before anything
    /// reads it. Kestrel would refuse it too, but only when it is read, and the antiforgery check reads forms and turns
    /// every read failure into a 400; a client that announces its length also gets the refusal before uploading.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Body too large",
                $"This endpoint accepts request bodies of at most {max:N0} bytes.");
            return;
        }
        await next(context);
    });
}
