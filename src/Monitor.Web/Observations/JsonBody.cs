using System.Buffers;
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
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions json, long maxBytes, string shape, CancellationToken cancellationToken) =>
        ReadCoreAsync(request, json, maxBytes, shape, async () => await JsonSerializer.DeserializeAsync<T>(request.Body, json, cancellationToken));

    /// <summary>Reads a body of the same shape and the same limits from its bytes.</summary>
    public delegate bool FastReader<T>(ReadOnlySpan<byte> body, JsonSerializerOptions json, out T? value);

    /// <summary>
    /// As <see cref="ReadAsync{T}"/>, but the whole body is first read into a pooled buffer and given to
    /// <paramref name="fast"/>; what it declines is deserialized from the same bytes, with the same answers.
    /// </summary>
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions json, long maxBytes, string shape, FastReader<T> fast, CancellationToken cancellationToken) =>
        ReadCoreAsync(request, json, maxBytes, shape, async () =>
        {
            var (buffer, length) = await BufferAsync(request, cancellationToken);
            try
            {
                var body = buffer.AsSpan(0, length);
                return fast(body, json, out var value) ? value : JsonSerializer.Deserialize<T>(body, json);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });

    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadCoreAsync<T>(
        HttpRequest request, JsonSerializerOptions json, long maxBytes, string shape, Func<Task<T?>> read)
    {
        if (!IsJson(request.ContentType))
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as JSON with Content-Type: application/json."));
        }

        try
        {
            return (await read(), null);
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

    /// <summary>The whole body in a buffer rented from the shared pool (the caller returns it); the server's size limit applies while reading.</summary>
    private static async Task<(byte[] Buffer, int Length)> BufferAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var announced = request.ContentLength is { } n and > 0 and < int.MaxValue ? (int)n : 0;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(announced + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) return (buffer, length);
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>A 4xx whose <c>errors</c> name the offending fields, like validation problems.</summary>
    public static ProblemHttpResult Problem(int status, string title, IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Status = status, Title = title });
}
