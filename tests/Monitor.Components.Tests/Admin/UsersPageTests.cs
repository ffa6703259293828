using Monitor.Web.Audit;
using Monitor.Web.Components.Pages.Admin;
using Monitor.Web.Security;
using MudBlazor;

namespace Monitor.Components.Tests.Admin;

public sealed class UsersPageTests : AdminComponentTest
{
    private IRenderedComponent<UsersPage> RenderPage()
    {
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-page='admin-users'][data-ready='true']")));
        return page;
    }

    private static void Click(IRenderedComponent<UsersPage> page, string action, string email) =>
        page.Find($"button[data-action='{action}'][data-user='{email}']").Click();

    [Fact]
    public async Task Lists_users_with_their_role_and_status()
    {
        await CreateUserAsync("reporter@example.org", "Reporter", "Rana Reporter");
        var off = await CreateUserAsync("gone@example.org", "Viewer");
        await Users.SetDisabledAsync(off.User.Id, true, Setup);

        var page = RenderPage();

        Assert.Equal(["gone@example.org", "reporter@example.org"], page.FindAll("[data-user]:not(button)").Select(e => e.TextContent));
        Assert.Contains("Rana Reporter", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Reporter", page.Find("[data-role-of='reporter@example.org']").GetAttribute("value"));
        Assert.Equal(["disabled", "active"], page.FindAll("[data-status]").Select(e => e.GetAttribute("data-status")));
        Assert.NotNull(page.Find("button[data-action='enable'][data-user='gone@example.org']"));
        Assert.NotNull(page.Find("button[data-action='disable'][data-user='reporter@example.org']"));
    }

    [Fact]
    public async Task Create_dialog_shows_the_one_time_password_once_and_it_signs_in()
    {
        var page = RenderPage();

        page.Find("[data-action='create-user']").Click();
        Type("email", "new.person@example.org");
        Type("displayName", "New Person");
        ClickDialogButton("submit");

        DialogProvider.WaitForAssertion(() => Assert.False(DialogOpen("create-user")));
        var secret = DialogProvider.WaitForElement("[data-dialog='secret'] input[data-secret]");
        var password = secret.GetAttribute("value")!;
        Assert.True(password.Length >= 16);
        Assert.True(await SignsInAsync("new.person@example.org", password));
        Assert.Contains("won't see it again", Dialog("secret").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains("new.person@example.org", page.Markup, StringComparison.Ordinal));

        ClickDialogButton("copy");
        Assert.Equal(password, JSInterop.VerifyInvoke("navigator.clipboard.writeText").Arguments[0]);

        ClickDialogButton("done");

        DialogProvider.WaitForAssertion(() => Assert.False(DialogOpen("secret")));
        Assert.DoesNotContain(password, DialogProvider.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(password, page.Markup, StringComparison.Ordinal);
        var created = Assert.Single(await AuditEntriesAsync(AuditActions.UserCreated), e => e.Target == "new.person@example.org");
        AssertByAdminFromBrowser(created);
    }

    [Fact]
    public async Task Create_dialog_keeps_the_form_open_with_the_message_for_the_field()
    {
        await CreateUserAsync("taken@example.org", "Viewer");
        var page = RenderPage();

        page.Find("[data-action='create-user']").Click();
        Type("email", "taken@example.org");
        ClickDialogButton("submit");

        DialogProvider.WaitForAssertion(() => Assert.Contains("already exists", Dialog("create-user").TextContent, StringComparison.Ordinal));
        Assert.False(DialogOpen("secret"));
    }

    [Fact]
    public async Task Disable_button_disables_the_user_as_the_signed_in_admin()
    {
        var user = await CreateUserAsync("field@example.org", "Reporter");
        var page = RenderPage();

        Click(page, "disable", "field@example.org");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("button[data-action='enable'][data-user='field@example.org']")));
        Assert.True(Assert.Single(await Users.ListAsync(), u => u.Id == user.User.Id).Disabled);
        AssertByAdminFromBrowser(Assert.Single(await AuditEntriesAsync(AuditActions.UserDisabled)));

        Click(page, "enable", "field@example.org");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("button[data-action='disable'][data-user='field@example.org']")));
        Assert.False(Assert.Single(await Users.ListAsync(), u => u.Id == user.User.Id).Disabled);
    }

    [Fact]
    public async Task Disabling_the_last_admin_is_refused_with_a_message()
    {
        await CreateUserAsync(AdminName, "Admin");
        var page = RenderPage();

        Click(page, "disable", AdminName);

        page.WaitForAssertion(() => Assert.Contains(Snackbar.ShownSnackbars, s => s.Message != null && s.Message.Contains("own account", StringComparison.Ordinal)));
        Assert.False(Assert.Single(await Users.ListAsync()).Disabled);
        Assert.NotNull(page.Find($"button[data-action='disable'][data-user='{AdminName}']"));
    }

    [Fact]
    public async Task Password_reset_asks_first_and_then_shows_the_new_password_once()
    {
        var user = await CreateUserAsync("forgetful@example.org", "Viewer");
        var page = RenderPage();

        Click(page, "reset-password", "forgetful@example.org");
        DialogProvider.WaitForAssertion(() => Assert.Contains("stop working", DialogProvider.Markup, StringComparison.Ordinal));
        ClickMessageBoxButton("Cancel");

        DialogProvider.WaitForAssertion(() => Assert.DoesNotContain("stop working", DialogProvider.Markup, StringComparison.Ordinal));
        Assert.True(await SignsInAsync("forgetful@example.org", user.Password));
        Assert.False(DialogOpen("secret"));

        Click(page, "reset-password", "forgetful@example.org");
        DialogProvider.WaitForAssertion(() => Assert.Contains("stop working", DialogProvider.Markup, StringComparison.Ordinal));
        ClickMessageBoxButton("Reset password");

        var password = DialogProvider.WaitForElement("[data-dialog='secret'] input[data-secret]").GetAttribute("value")!;
        Assert.True(await SignsInAsync("forgetful@example.org", password));
        Assert.False(await SignsInAsync("forgetful@example.org", user.Password));
        AssertByAdminFromBrowser(Assert.Single(await AuditEntriesAsync(AuditActions.UserPasswordReset)));
    }

    [Fact]
    public async Task Choosing_a_role_changes_it()
    {
        var user = await CreateUserAsync("promoted@example.org", "Viewer");
        var page = RenderPage();
        var select = page.FindComponents<MudSelect<Role?>>().Single();

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(Role.Coordinator));

        page.WaitForAssertion(() => Assert.Equal("Coordinator", page.Find("[data-role-of='promoted@example.org']").GetAttribute("value")));
        Assert.Equal(Role.Coordinator, Assert.Single(await Users.ListAsync(), u => u.Id == user.User.Id).Role);
        AssertByAdminFromBrowser(Assert.Single(await AuditEntriesAsync(AuditActions.UserRoleChanged)));
    }
}
