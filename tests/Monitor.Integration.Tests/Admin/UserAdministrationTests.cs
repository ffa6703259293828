using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;

namespace Monitor.Integration.Tests.Admin;

public sealed class UserAdministrationTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private static readonly System.Security.Claims.ClaimsPrincipal Actor = Person("chief@example.org");

    private UserAdministration Users => app.Services.GetRequiredService<UserAdministration>();

    private async Task<T> WithUserManagerAsync<T>(Func<UserManager<MonitorUser>, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>());
    }

    private async Task<OneTimePassword> CreateAsync(string role, string? email = null)
    {
        var result = await Users.CreateAsync(new NewUser(email ?? UniqueEmail(role.ToLowerInvariant()), "Test person", role), Actor);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    [Fact]
    public async Task A_user_made_by_the_system_and_one_made_by_an_admin_are_created_and_audited_alike()
    {
        var byAdmin = UniqueEmail("by-admin");
        var bySystem = UniqueEmail("by-system");

        await CreateAsync("Viewer", byAdmin);
        var made = await Users.CreateUserAsync(bySystem, UserAdministration.GeneratePassword(), Role.Viewer, AuditLog.System);

        Assert.True(made.Succeeded, UserAdministration.Describe(made));
        var entries = await app.AuditAsync(AuditActions.UserCreated);
        Assert.Equal("role=Viewer", Assert.Single(entries, e => e.Target == byAdmin).Details);
        Assert.Equal("role=Viewer", Assert.Single(entries, e => e.Target == bySystem).Details);
        var listed = await Users.ListAsync();
        Assert.Equal(Role.Viewer, Assert.Single(listed, u => u.Email == bySystem).Role);
        Assert.True(await WithUserManagerAsync(async users => (await users.FindByEmailAsync(bySystem))!.LockoutEnabled));
    }

    [Fact]
    public async Task Created_user_signs_in_with_the_one_time_password_and_holds_the_role()
    {
        var email = UniqueEmail("reporter");

        var created = await CreateAsync("reporter", email);

        Assert.True(created.Password.Length >= 16, $"A one-time password of {created.Password.Length} characters is too short.");
        var (signsIn, roles) = await WithUserManagerAsync(async users =>
        {
            var user = (await users.FindByEmailAsync(email))!;
            return (await users.CheckPasswordAsync(user, created.Password), await users.GetRolesAsync(user));
        });
        Assert.True(signsIn);
        Assert.Equal(["Reporter"], roles);
        var listed = Assert.Single(await Users.ListAsync(), u => u.Email == email);
        Assert.Equal(Role.Reporter, listed.Role);
        Assert.Equal("Test person", listed.DisplayName);
        Assert.False(listed.Disabled);
    }

    [Fact]
    public async Task Creating_a_user_is_audited_with_the_acting_admin()
    {
        var created = await CreateAsync("Viewer");

        var entry = await app.SingleAuditAsync(AuditActions.UserCreated, created.User.Email);
        Assert.Equal("chief@example.org", entry.Actor);
        Assert.Contains("Viewer", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Password, entry.Details ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-email", "Viewer", "email")]
    [InlineData("", "Viewer", "email")]
    [InlineData("someone@example.org", "Overlord", "role")]
    [InlineData("someone@example.org", "4", "role")]
    [InlineData("someone@example.org", null, "role")]
    public async Task Create_refuses_invalid_input_naming_the_field(string email, string? role, string field)
    {
        var result = await Users.CreateAsync(new NewUser(email, null, role), Actor);

        Assert.False(result.Succeeded);
        var message = Assert.Single(Assert.Contains(field, result.Errors));
        Assert.Contains(field, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(await Users.ListAsync(), u => u.Email == email);
    }

    [Fact]
    public async Task Create_refuses_an_email_already_in_use_whatever_its_case()
    {
        var first = await CreateAsync("Viewer");

        var second = await Users.CreateAsync(new NewUser(first.User.Email.ToUpperInvariant(), null, "Admin"), Actor);

        Assert.False(second.Succeeded);
        Assert.Contains("already exists", Assert.Single(second.Errors["email"]), StringComparison.Ordinal);
        Assert.Single(await Users.ListAsync(), u => string.Equals(u.Email, first.User.Email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Role_change_leaves_exactly_the_new_role_and_is_audited()
    {
        var created = await CreateAsync("Viewer");

        var result = await Users.SetRoleAsync(created.User.Id, "Coordinator", Actor);

        Assert.True(result.Succeeded, result.Message);
        var roles = await WithUserManagerAsync(async users => await users.GetRolesAsync((await users.FindByIdAsync(created.User.Id))!));
        Assert.Equal(["Coordinator"], roles);
        var entry = await app.SingleAuditAsync(AuditActions.UserRoleChanged, created.User.Email);
        Assert.Equal("chief@example.org", entry.Actor);
        Assert.Equal("from=Viewer; to=Coordinator", entry.Details);
    }

    [Fact]
    public async Task Role_change_ends_the_users_sessions()
    {
        var created = await CreateAsync("Coordinator");
        var before = await WithUserManagerAsync(async users => (await users.FindByIdAsync(created.User.Id))!.SecurityStamp);

        Assert.True((await Users.SetRoleAsync(created.User.Id, "Viewer", Actor)).Succeeded);

        var after = await WithUserManagerAsync(async users => (await users.FindByIdAsync(created.User.Id))!.SecurityStamp);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Role_change_to_an_unknown_role_is_refused()
    {
        var created = await CreateAsync("Viewer");

        var result = await Users.SetRoleAsync(created.User.Id, "Root", Actor);

        Assert.Contains("role", result.Errors.Keys);
        Assert.Equal(Role.Viewer, Assert.Single(await Users.ListAsync(), u => u.Id == created.User.Id).Role);
    }

    [Fact]
    public async Task Admin_cannot_demote_or_disable_themself()
    {
        var me = await CreateAsync("Admin");
        await CreateAsync("Admin");
        var myself = Person(me.User.Email, me.User.Id);

        var demoted = await Users.SetRoleAsync(me.User.Id, "Viewer", myself);
        var disabled = await Users.SetDisabledAsync(me.User.Id, true, myself);

        Assert.Contains("own role", Assert.Single(demoted.Errors["role"]), StringComparison.Ordinal);
        Assert.Contains("own account", Assert.Single(disabled.Errors["user"]), StringComparison.Ordinal);
        var listed = Assert.Single(await Users.ListAsync(), u => u.Id == me.User.Id);
        Assert.Equal(Role.Admin, listed.Role);
        Assert.False(listed.Disabled);
    }

    [Fact]
    public async Task Disabling_sets_the_flag_ends_sessions_and_enabling_restores_it_both_audited()
    {
        var created = await CreateAsync("Reporter");
        var stamp = await WithUserManagerAsync(async users => (await users.FindByIdAsync(created.User.Id))!.SecurityStamp);

        Assert.True((await Users.SetDisabledAsync(created.User.Id, true, Actor)).Succeeded);

        var disabled = await WithUserManagerAsync(async users => (await users.FindByIdAsync(created.User.Id))!);
        Assert.True(disabled.Disabled);
        Assert.NotEqual(stamp, disabled.SecurityStamp);
        Assert.Equal("chief@example.org", (await app.SingleAuditAsync(AuditActions.UserDisabled, created.User.Email)).Actor);

        Assert.True((await Users.SetDisabledAsync(created.User.Id, false, Actor)).Succeeded);

        Assert.False(Assert.Single(await Users.ListAsync(), u => u.Id == created.User.Id).Disabled);
        Assert.Equal("chief@example.org", (await app.SingleAuditAsync(AuditActions.UserEnabled, created.User.Email)).Actor);
    }

    [Fact]
    public async Task Password_reset_replaces_the_password_lifts_a_lockout_and_is_audited()
    {
        var created = await CreateAsync("Viewer");
        await WithUserManagerAsync(async users =>
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(created.User.Id))!, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.NotNull(Assert.Single(await Users.ListAsync(), u => u.Id == created.User.Id).LockedOutUntil);

        var reset = await Users.ResetPasswordAsync(created.User.Id, Actor);

        Assert.True(reset.Succeeded, reset.Message);
        Assert.NotEqual(created.Password, reset.Value!.Password);
        var (oldWorks, newWorks, lockedOut) = await WithUserManagerAsync(async users =>
        {
            var user = (await users.FindByIdAsync(created.User.Id))!;
            return (await users.CheckPasswordAsync(user, created.Password), await users.CheckPasswordAsync(user, reset.Value.Password),
                await users.IsLockedOutAsync(user));
        });
        Assert.False(oldWorks);
        Assert.True(newWorks);
        Assert.False(lockedOut);
        Assert.Equal("chief@example.org", (await app.SingleAuditAsync(AuditActions.UserPasswordReset, created.User.Email)).Actor);
    }

    [Fact]
    public async Task Changes_to_an_unknown_user_report_it_as_missing()
    {
        var result = await Users.SetDisabledAsync("no-such-user", true, Actor);

        Assert.True(result.NotFound);
        Assert.Contains("user", result.Errors.Keys);
    }

    [Fact]
    public void Generated_passwords_are_long_random_and_mix_every_character_class()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => UserAdministration.GeneratePassword()).ToArray();

        Assert.All(passwords, p =>
        {
            Assert.True(p.Length >= 16);
            Assert.Contains(p, char.IsUpper);
            Assert.Contains(p, char.IsLower);
            Assert.Contains(p, char.IsDigit);
            Assert.Contains(p, c => !char.IsLetterOrDigit(c));
        });
        Assert.Equal(passwords.Length, passwords.Distinct().Count());
    }
}

/// <summary>Each test starts from an app without users, so it knows exactly how many admins there are.</summary>
public sealed class LastAdminTests : IDisposable
{
    private static readonly System.Security.Claims.ClaimsPrincipal Actor = Person("operator@example.org");
    private readonly MonitorAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private UserAdministration Users => _app.Services.GetRequiredService<UserAdministration>();

    private async Task<UserSummary> CreateAsync(string role) =>
        (await Users.CreateAsync(new NewUser(UniqueEmail(role.ToLowerInvariant()), null, role), Actor)).Value!.User;

    [Fact]
    public async Task The_only_admin_can_be_neither_demoted_nor_disabled()
    {
        var only = await CreateAsync("Admin");

        var demoted = await Users.SetRoleAsync(only.Id, "Coordinator", Actor);
        var disabled = await Users.SetDisabledAsync(only.Id, true, Actor);

        Assert.Contains("last enabled admin", Assert.Single(demoted.Errors["role"]), StringComparison.Ordinal);
        Assert.Contains("last enabled admin", Assert.Single(disabled.Errors["user"]), StringComparison.Ordinal);
        var listed = Assert.Single(await Users.ListAsync());
        Assert.Equal(Role.Admin, listed.Role);
        Assert.False(listed.Disabled);
        Assert.Empty(await _app.AuditRowsAsync(AuditActions.UserRoleChanged));
        Assert.Empty(await _app.AuditRowsAsync(AuditActions.UserDisabled));
    }

    [Fact]
    public async Task A_disabled_admin_does_not_count_as_a_remaining_admin()
    {
        var first = await CreateAsync("Admin");
        var second = await CreateAsync("Admin");
        Assert.True((await Users.SetDisabledAsync(second.Id, true, Actor)).Succeeded);

        var demoted = await Users.SetRoleAsync(first.Id, "Viewer", Actor);

        Assert.False(demoted.Succeeded);
        Assert.Equal(Role.Admin, Assert.Single(await Users.ListAsync(), u => u.Id == first.Id).Role);
    }

    [Fact]
    public async Task An_admin_may_be_demoted_once_another_enabled_admin_exists()
    {
        var first = await CreateAsync("Admin");
        await CreateAsync("Admin");

        var demoted = await Users.SetRoleAsync(first.Id, "Viewer", Actor);

        Assert.True(demoted.Succeeded, demoted.Message);
        Assert.Equal(Role.Viewer, Assert.Single(await Users.ListAsync(), u => u.Id == first.Id).Role);
    }
}
