using Microsoft.Playwright;

namespace Monitor.Browser.Tests.Fixtures;

/// <summary>
/// The pages of the app as a signed-in user reaches them: every link of the navigation as that user's role sees it,
/// plus the pages that no navigation link leads to. A new page with a navigation link is picked up by itself; one
/// without goes into <see cref="BeyondNavigation"/>.
/// </summary>
public static class AppPages
{
    /// <summary>Pages reached from within other pages (a site from the sites list) or from nowhere (not found).</summary>
    public static readonly IReadOnlyList<string> BeyondNavigation = ["/sites/kirkuk", "/not-found"];

    /// <summary>Pages reached from a navigation page's own tabs, for those who may open that page.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Tabs = new Dictionary<string, string[]>
    {
        ["/report"] = ["/report/daily?site=kirkuk"],
    };

    public static async Task<IReadOnlyList<string>> ForSignedInUserAsync(IPage page)
    {
        var links = await page.Locator(".nav-menu a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var paths = links.Select(href => "/" + href.TrimStart('/')).ToArray();
        var tabs = paths.SelectMany(path => Tabs.TryGetValue(path, out var more) ? more : []);
        return ["/", .. paths.Concat(tabs).Concat(BeyondNavigation).Distinct().Where(path => path != "/")];
    }

    /// <summary>Waits until a page has drawn what it loads: the circuit is up, data-ready marks are set, charts are drawn.</summary>
    public static async Task WaitUntilSettledAsync(IPage page)
    {
        var patience = new LocatorAssertionsToHaveCountOptions { Timeout = 20_000 };
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await Assertions.Expect(page.Locator("[data-ready='false']")).ToHaveCountAsync(0, patience);
        await Assertions.Expect(page.Locator(".monitor-chart:not([data-chart-ready='true'])")).ToHaveCountAsync(0, patience);
        await Assertions.Expect(page.Locator(".mud-table-loading-progress, .mud-skeleton")).ToHaveCountAsync(0, patience);
    }
}
