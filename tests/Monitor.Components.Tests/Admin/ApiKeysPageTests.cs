using Microsoft.Extensions.DependencyInjection;
using Monitor.Web.Audit;
using Monitor.Web.Components.Pages.Admin;
using Monitor.Web.Security;
using Monitor.Web.Security.ApiKeys;

namespace Monitor.Components.Tests.Admin;

public sealed class ApiKeysPageTests : AdminComponentTest
{
    private ApiKeyLookup Lookup => Services.GetRequiredService<ApiKeyLookup>();

    private IRenderedComponent<ApiKeysPage> RenderPage()
    {
        var page = Render<ApiKeysPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-page='admin-api-keys'][data-ready='true']")));
        return page;
    }

    private async Task<CreatedApiKey> IssueAsync(string name, string role, DateTimeOffset? expiresAt = null)
    {
        var result = await Keys.CreateAsync(new NewApiKey(name, role, expiresAt), Setup);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private static string StatusOf(IRenderedComponent<ApiKeysPage> page, string name) =>
        page.Find($"tr:has(span[data-key='{name}']) [data-status]").GetAttribute("data-status")!;

    [Fact]
    public async Task Lists_issued_and_configured_keys_with_their_status_and_never_a_secret()
    {
        var active = await IssueAsync("field tablets", "Reporter");
        var revoked = await IssueAsync("old importer", "Reporter");
        await Keys.RevokeAsync(revoked.Key.Id!.Value, Setup);
        var expiring = await IssueAsync("trial", "Viewer", Time.GetUtcNow().AddHours(1));
        Time.Advance(TimeSpan.FromHours(2));

        var page = RenderPage();

        Assert.Equal("active", StatusOf(page, "field tablets"));
        Assert.Equal("revoked", StatusOf(page, "old importer"));
        Assert.Equal("expired", StatusOf(page, "trial"));
        Assert.Equal("configuration", StatusOf(page, ConfiguredKeyName));
        Assert.Contains(active.Secret[..8], page.Markup, StringComparison.Ordinal);
        foreach (var secret in new[] { active.Secret, revoked.Secret, expiring.Secret })
            Assert.DoesNotContain(secret[8..], page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfiguredKeySecret, page.Markup, StringComparison.Ordinal);
        Assert.Contains("From configuration", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_issued_keys_still_in_force_offer_revoke()
    {
        await IssueAsync("live", "Viewer");
        var revoked = await IssueAsync("dead", "Viewer");
        await Keys.RevokeAsync(revoked.Key.Id!.Value, Setup);

        var page = RenderPage();

        Assert.Equal(["live"], page.FindAll("button[data-action='revoke']").Select(b => b.GetAttribute("data-key")));
    }

    [Fact]
    public async Task Create_dialog_shows_the_secret_once_with_a_warning_and_the_key_works()
    {
        var page = RenderPage();

        page.Find("[data-action='create-key']").Click();
        Type("name", "river gauges");
        ClickDialogButton("submit");

        var secret = DialogProvider.WaitForElement("[data-dialog='secret'] input[data-secret]").GetAttribute("value")!;
        Assert.Matches("^mon_[0-9A-Za-z]{40}$", secret);
        Assert.Contains("won't see it again", Dialog("secret").TextContent, StringComparison.Ordinal);
        var stored = await Lookup.FindAsync(secret, CancellationToken.None);
        Assert.Equal(("river gauges", Role.Reporter), (stored!.Name, stored.Role));
        page.WaitForAssertion(() => Assert.Equal("active", StatusOf(page, "river gauges")));

        ClickDialogButton("done");

        DialogProvider.WaitForAssertion(() => Assert.False(DialogOpen("secret")));
        Assert.DoesNotContain(secret[8..], DialogProvider.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[8..], page.Markup, StringComparison.Ordinal);
        AssertByAdminFromBrowser(Assert.Single(await AuditEntriesAsync(AuditActions.ApiKeyCreated)));
    }

    [Fact]
    public async Task Create_dialog_reports_a_name_already_in_use_on_the_field()
    {
        await IssueAsync("duplicate", "Viewer");
        var page = RenderPage();

        page.Find("[data-action='create-key']").Click();
        Type("name", "duplicate");
        ClickDialogButton("submit");

        DialogProvider.WaitForAssertion(() => Assert.Contains("already exists", DialogProvider.Markup, StringComparison.Ordinal));
        Assert.False(DialogOpen("secret"));
        Assert.Single(await Keys.ListAsync(), k => k.Name == "duplicate");
    }

    [Fact]
    public async Task Revoke_asks_first_and_then_the_key_is_refused()
    {
        var key = await IssueAsync("to revoke", "Reporter");
        Assert.NotNull(await Lookup.FindAsync(key.Secret, CancellationToken.None));
        var page = RenderPage();

        page.Find("button[data-action='revoke'][data-key='to revoke']").Click();
        DialogProvider.WaitForAssertion(() => Assert.Contains("cannot be undone", DialogProvider.Markup, StringComparison.Ordinal));
        ClickMessageBoxButton("Cancel");
        DialogProvider.WaitForAssertion(() => Assert.DoesNotContain("cannot be undone", DialogProvider.Markup, StringComparison.Ordinal));
        Assert.Null((await Lookup.FindAsync(key.Secret, CancellationToken.None))!.RevokedAt);

        page.Find("button[data-action='revoke'][data-key='to revoke']").Click();
        DialogProvider.WaitForAssertion(() => Assert.Contains("cannot be undone", DialogProvider.Markup, StringComparison.Ordinal));
        ClickMessageBoxButton("Revoke");

        page.WaitForAssertion(() => Assert.Equal("revoked", StatusOf(page, "to revoke")));
        Assert.NotNull((await Lookup.FindAsync(key.Secret, CancellationToken.None))!.RevokedAt);
        AssertByAdminFromBrowser(Assert.Single(await AuditEntriesAsync(AuditActions.ApiKeyRevoked)));
    }
}
