using Microsoft.AspNetCore.Diagnostics;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations;

/// <summary>
/// A store that does not answer a read, or an outbox too full to take a write, is answered 503 with Retry-After; a store
/// that refuses the data itself, 422. The message says what the client can do; the server's address and database stay
/// in the log, not in the answer.
/// </summary>
public sealed partial class StoreUnavailableExceptionHandler(ILogger<StoreUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ObservationStoreRejectedException)
        {
            // The store understood the request and will refuse it again: the data, not the moment, is at fault.
            LogRejected(exception, context.Request.Method, context.Request.Path);
            return await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "Refused by the observation store",
                "The observation database refused this data; nothing of this request was stored, and sending it " +
                "again will fail the same way. An administrator finds the reason in the server's log.");
        }

        var (retryAfter, title, detail) = exception switch
        {
            BacklogFullException full => (30, "Write queue full",
                $"{full.Message} Nothing of this request was stored; send it again later."),
            ObservationStoreUnavailableException => (5, "Observation store unavailable",
                "The observation database is not answering. Nothing of this request was changed; try again shortly."),
            _ => (0, "", ""),
        };
        if (retryAfter == 0) return false;

        LogRefused(exception, context.Request.Method, context.Request.Path);
        return await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, title, detail, retryAfter);
    }

    [LoggerMessage(LogLevel.Error, "{Method} {Path} answered 422: the observation store refused the data.")]
    private partial void LogRejected(Exception exception, string method, string path);

    [LoggerMessage(LogLevel.Warning, "{Method} {Path} answered 503.")]
    private partial void LogRefused(Exception exception, string method, string path);
}
