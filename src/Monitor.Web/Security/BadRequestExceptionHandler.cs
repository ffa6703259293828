using Microsoft.AspNetCore.Diagnostics;

namespace Monitor.Web.Security;

/// <summary>
/// A request the server refused while reading it (a body over the size limit, a malformed form) is the client's error:
/// answered with its own status (413, 400) as problem details, not as a 500.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;

        var tooLarge = bad.StatusCode == StatusCodes.Status413PayloadTooLarge;
        return await Problems.WriteAsync(context, bad.StatusCode, tooLarge ? "Body too large" : "Bad request",
            tooLarge ? "The request body is larger than this endpoint accepts." : bad.Message, exception: exception);
    }
}
