namespace Monitor.Web.Security;

/// <summary>Answers that carry a secret (a new key, a one-time password) or the audit trail must not be kept by any cache.</summary>
public static class NoStore
{
    public static TBuilder WithNoStore<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            return await next(context);
        });
}
