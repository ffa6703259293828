using System.Text;

namespace Monitor.Web.Accounts;

public static class LocalUrl
{
    /// <summary>
    /// <paramref name="url"/> when it is a path on this site, otherwise the home page: a return URL comes from the query
    /// string, and following one to another site would make the login page an open redirect. Characters a
    /// <c>Location</c> header cannot carry (anything but printable ASCII) are percent-encoded, as a browser would.
    /// </summary>
    public static string OrHome(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return "/";
        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\')) return "/";
        if (url.Any(char.IsControl)) return "/";
        if (url.All(c => c is > ' ' and < '\u007f')) return url;

        var escaped = new StringBuilder(url.Length * 3);
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7f) escaped.Append((char)rune.Value);
            else escaped.Append(Uri.EscapeDataString(rune.ToString()));
        }
        return escaped.ToString();
    }
}
