using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Admin;

public sealed class UsersApiTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private static async Task<(string Id, string Password)> CreateAsync(HttpClient admin, string email, string role)
    {
        using var response = await admin.PostAsJsonAsync("/api/users", new { email, role });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.CacheControl?.NoStore, "A one-time password must not be cached.");
        var created = JsonNode.Parse(body)!;
        return (created["id"]!.GetValue<string>(), created["password"]!.GetValue<string>());
    }

    private static async Task<JsonObject> UserAsync(HttpClient admin, string id) =>
        (await admin.GetFromJsonAsync<JsonArray>("/api/users"))!.Single(u => u!["id"]!.GetValue<string>() == id)!.AsObject();

    [Fact]
    public async Task Created_user_signs_in_at_once_with_the_password_shown_once_and_is_listed_with_its_role()
    {
        using var admin = app.CreateClient(AdminKey);
        var email = UniqueEmail("scripted");

        var (id, password) = await CreateAsync(admin, email, "Reporter");

        var listed = await UserAsync(admin, id);
        Assert.Equal((email, "Reporter", false), (listed["email"]!.GetValue<string>(), listed["role"]!.GetValue<string>(), listed["disabled"]!.GetValue<bool>()));
        using var browser = app.CreateBrowserClient();
        await browser.SignInAsync(new TestUser(email, password, Role.Reporter));
        Assert.NotNull((await UserAsync(admin, id))["lastSignInAt"]);
        var entry = Assert.Single(await app.AuditAsync(AuditActions.UserCreated), e => e.Target == email);
        Assert.Equal("key:test admin", entry.Actor.Split('#')[0]);
    }

    [Fact]
    public async Task Update_changes_the_role_and_disables_the_user()
    {
        using var admin = app.CreateClient(AdminKey);
        var (id, _) = await CreateAsync(admin, UniqueEmail("updated"), "Viewer");

        using var promoted = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "Coordinator" });
        using var disabled = await admin.PutAsJsonAsync($"/api/users/{id}", new { disabled = true });

        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        var user = await UserAsync(admin, id);
        Assert.Equal(("Coordinator", true), (user["role"]!.GetValue<string>(), user["disabled"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Reset_password_answers_a_new_password_once_and_the_old_one_stops_working()
    {
        using var admin = app.CreateClient(AdminKey);
        var email = UniqueEmail("reset");
        var (id, old) = await CreateAsync(admin, email, "Viewer");

        using var response = await admin.PostAsync($"/api/users/{id}/reset-password", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var password = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["password"]!.GetValue<string>();
        using var browser = app.CreateBrowserClient();
        using var refused = await browser.PostLoginAsync(email, old);
        Assert.NotEqual(HttpStatusCode.Found, refused.StatusCode);
        await browser.SignInAsync(new TestUser(email, password, Role.Viewer));
    }

    [Fact]
    public async Task Invalid_requests_name_the_field_and_unknown_users_are_404()
    {
        using var admin = app.CreateClient(AdminKey);

        using var badRole = await admin.PostAsJsonAsync("/api/users", new { email = UniqueEmail("bad"), role = "Superuser" });
        using var badEmail = await admin.PostAsJsonAsync("/api/users", new { email = "not an address", role = "Viewer" });
        using var unknown = await admin.PutAsJsonAsync("/api/users/nobody", new { disabled = true });
        using var unknownReset = await admin.PostAsync("/api/users/nobody/reset-password", null);

        Assert.Contains("role", (await badRole.AssertValidationProblemAsync()).Keys);
        Assert.Contains("email", (await badEmail.AssertValidationProblemAsync()).Keys);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownReset.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_last_enabled_admin_can_be_neither_demoted_nor_disabled()
    {
        using var fresh = new MonitorAppFactory();
        using var admin = fresh.CreateClient(AdminKey);
        var (id, _) = await CreateAsync(admin, UniqueEmail("only-admin"), "Admin");

        using var demoted = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "Viewer" });
        using var disabled = await admin.PutAsJsonAsync($"/api/users/{id}", new { disabled = true });

        await demoted.AssertProblemAsync(HttpStatusCode.Conflict);
        await disabled.AssertProblemAsync(HttpStatusCode.Conflict);
        var user = await UserAsync(admin, id);
        Assert.Equal(("Admin", false), (user["role"]!.GetValue<string>(), user["disabled"]!.GetValue<bool>()));

        await CreateAsync(admin, UniqueEmail("second-admin"), "Admin");
        using var nowAllowed = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "Viewer" });
        Assert.Equal(HttpStatusCode.OK, nowAllowed.StatusCode);
    }
}
