namespace Monitor.Web.Security;

public static class RequestLimits
{
    /// <summary>The largest request body any endpoint accepts unless it declares its own limit.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;
}
