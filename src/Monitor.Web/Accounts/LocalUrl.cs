namespace Monitor.Web.Accounts;

public static class LocalUrl
{
    /// <summary>
    /// <paramref name="url"/> when it is a path on this site, otherwise the home page: a return URL comes from the query
    /// string, and following one to another site would make the login page an open redirect.
    /// </summary>
    public static string OrHome(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return "/";
        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\')) return "/";
        return url.Any(char.IsControl) ? "/" : url;
    }
}
