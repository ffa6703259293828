using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Monitor.Web.Observations;

/// <summary>
/// Reads a JSON request body the way every write endpoint does: only <c>application/json</c> (with parameters such
/// as charset) or <c>application/*+json</c> — anything else is 415, so a cross-site HTML form (which can only send
/// <c>text/plain</c>, form or multipart bodies) cannot submit with a signed-in user's cookie — and malformed JSON is a
/// 400 naming where it broke.
/// </summary>
public static class JsonBody
{
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
        && (media.SubType.Equals("json", StringComparison.OrdinalIgnoreCase)
            || media.SubType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer instead.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions json, long maxBytes, string shape, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as JSON with Content-Type: application/json."));
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, json, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            var key = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$').TrimStart('.');
            return (default, TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [key] = [$"Not valid here (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): send {shape} with the documented field types."],
            })
            { Status = StatusCodes.Status400BadRequest, Title = "The body is not valid JSON of the expected shape." }));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"A body may be at most {maxBytes / (1024 * 1024)} MB; split it into smaller batches."));
        }
    }

    /// <summary>A 4xx whose <c>errors</c> name the offending fields, like validation problems.</summary>
    public static ProblemHttpResult Problem(int status, string title, IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Status = status, Title = title });
}
