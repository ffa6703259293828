namespace Monitor.Web.Security;

/// <summary>
/// The address of the browser behind a page, for the audit entries of what is done there. A Blazor circuit has no
/// request of its own; its scope is created inside the live connection's request, whose address (after
/// <c>UseForwardedHeaders</c>, when behind a proxy) this keeps.
/// </summary>
public sealed class ClientAddress(string? value)
{
    public string? Value { get; } = value;

    public static ClientAddress Of(IHttpContextAccessor accessor) => new(accessor.HttpContext is { } context ? Of(context) : null);

    /// <summary>The address an API request came from, for its audit entry.</summary>
    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
