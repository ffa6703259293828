using Microsoft.Extensions.Localization;
using Monitor.Domain.Catalog;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Resources;

namespace Monitor.Web.Components.Pages.Report;

/// <summary>The report forms' site picker: every word typed appears in the site's name, governorate or kind.</summary>
public static class SiteSearch
{
    public static IEnumerable<Site> Find(IEnumerable<Site> sites, string? text, IStringLocalizer<Strings> l)
    {
        var words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return sites.Where(site => words.All(word =>
            site.Name.Contains(word, StringComparison.CurrentCultureIgnoreCase)
            || site.Region.Contains(word, StringComparison.CurrentCultureIgnoreCase)
            || site.Kind.Replace('_', ' ').Contains(word, StringComparison.CurrentCultureIgnoreCase)
            || l.SiteKind(site.Kind).Contains(word, StringComparison.CurrentCultureIgnoreCase)));
    }
}
