using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Accessibility;

/// <summary>What axe does not test: the page used with the Tab key alone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(BrowserFixture browser)
{
    /// <summary>Each kind of control a keyboard user meets, by where it is; every one must show where focus is.</summary>
    public static TheoryData<string, string, string> ControlKinds => new()
    {
        { "/", "app-bar button", ".mud-appbar button" },
        { "/", "navigation link", ".nav-menu a" },
        { "/", "range picker choice", ".range-picker [role='radio']" },
        { "/sites", "table sort button", "th .sort-direction-icon" },
    };

    [Fact]
    public async Task Skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content()
    {
        var page = await SignedInPageAsync("/sites");
        await FocusTopOfPageAsync(page);

        await page.Keyboard.PressAsync("Tab");

        var skip = page.Locator(".skip-link");
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToHaveTextAsync("Skip to main content");
        await Assertions.Expect(skip).ToBeInViewportAsync();
        Assert.True(await HasVisibleFocusAsync(page), "The focused skip link shows no focus ring.");

        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("main#main-content")).ToBeFocusedAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sites(#main-content)?$"));
        // The next stop is the page's first control, past the app bar and the navigation.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)"));
    }

    [Theory]
    [MemberData(nameof(ControlKinds))]
    public async Task Focus_is_visible_on_each_kind_of_control_reached_by_the_keyboard(string path, string kind, string selector)
    {
        var page = await SignedInPageAsync(path);
        await FocusTopOfPageAsync(page);

        // Tab, as a keyboard user does, until a control of this kind has focus.
        var reached = false;
        for (var presses = 0; presses < 80 && !reached; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("selector => document.activeElement?.matches(selector) ?? false", selector);
        }

        Assert.True(reached, $"No {kind} ({selector}) was reached with the Tab key.");
        Assert.True(await HasVisibleFocusAsync(page), $"The focused {kind} shows no focus: " + await FocusStyleAsync(page));
        // Some controls fade in as they take focus (a CSS transition starts at opacity 0): visible once it has run.
        try
        {
            await page.WaitForFunctionAsync("() => getComputedStyle(document.activeElement).opacity !== '0'", null, new() { Timeout = 2_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The focused {kind} is invisible.");
        }
    }

    [Fact]
    public async Task Range_picker_is_announced_as_a_single_choice()
    {
        var page = await SignedInPageAsync("/");

        var group = page.GetByRole(AriaRole.Radiogroup, new() { Name = "Time range" });
        await Assertions.Expect(group).ToBeVisibleAsync();
        await Assertions.Expect(group.GetByRole(AriaRole.Radio)).ToHaveCountAsync(5);
        await Assertions.Expect(group.GetByRole(AriaRole.Radio, new() { Checked = true })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".range-picker [role='checkbox']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Table_sort_buttons_are_named_after_their_column_and_headers_say_how_they_are_sorted()
    {
        var page = await SignedInPageAsync("/sites");
        var name = page.GetByRole(AriaRole.Button, new() { Name = "Sort by Name", Exact = true });
        await Assertions.Expect(name).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sort", Exact = true })).ToHaveCountAsync(0);
        var header = page.Locator("th", new() { Has = name });
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "none");

        await name.ClickAsync();

        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
    }

    private async Task<IPage> SignedInPageAsync(string path)
    {
        var page = await browser.NewPageAsync();
        await LoginPage.SignInAsync(page, browser.Server.DemoUsers[Role.Admin], path);
        await AppPages.WaitUntilSettledAsync(page);
        return page;
    }

    /// <summary>
    /// Puts the keyboard's starting point at the top of the document, where it is when a page is opened from the
    /// address bar (the app moves focus to the page heading after navigating).
    /// </summary>
    private static Task FocusTopOfPageAsync(IPage page) => page.EvaluateAsync("""
        () => { const start = document.createElement('span'); start.tabIndex = -1; document.body.prepend(start); start.focus(); start.remove(); }
        """);

    /// <summary>A focus ring: a drawn outline or a box shadow on the focused element.</summary>
    private static Task<bool> HasVisibleFocusAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
          const style = getComputedStyle(document.activeElement);
          const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          return outline || (style.boxShadow && style.boxShadow !== 'none');
        }
        """);

    private static Task<string> FocusStyleAsync(IPage page) => page.EvaluateAsync<string>("""
        () => { const s = getComputedStyle(document.activeElement); return document.activeElement.outerHTML.slice(0, 120) + ` outline: ${s.outlineStyle} ${s.outlineWidth}; box-shadow: ${s.boxShadow}`; }
        """);
}
