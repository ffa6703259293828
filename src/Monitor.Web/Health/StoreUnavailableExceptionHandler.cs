using Microsoft.AspNetCore.Diagnostics;
using Monitor.Web.Observations;

namespace Monitor.Web.Health;

/// <summary>A store outage is answered 503 with Retry-After: the client's batch was not stored and may be resent as is.</summary>
public sealed class StoreUnavailableExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ObservationStoreUnavailableException unavailable) return false;

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Observation store unavailable",
                Detail = unavailable.Message + " Nothing was stored; send the same batch again later.",
            },
        });
    }
}
