using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Accounts;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Admin.AdminTestSupport;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Hub;

/// <summary>The app with hub credentials checked every second, on a real socket.</summary>
public sealed class FastCredentialCheckFactory : KestrelMonitorAppFactory
{
    public FastCredentialCheckFactory() => Settings["Auth:Sessions:CheckInterval"] = "00:00:01";
}

/// <summary>
/// An open hub connection ends within the check interval once what authenticated it no longer holds: a key revoked or
/// expired, a user disabled or given another role. The interval here is one second; each test waits up to ten for the
/// server to close the connection, and the connection of an unaffected client stays open throughout.
/// </summary>
public sealed class HubCredentialTests(FastCredentialCheckFactory app) : IClassFixture<FastCredentialCheckFactory>
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    private static async Task<Task> ClosedAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await Task.Yield();
        return closed.Task;
    }

    private async Task<LiveClient> ConnectWithCookieAsync(TestUser user)
    {
        var cookies = new CookieContainer();
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.ServerAddress })
        {
            await browser.SignInAsync(user);
        }
        return await LiveClient.ConnectAsync(LiveClient.Build(app.ServerAddress, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.Cookies = cookies;
        }));
    }

    private async Task AssertClosedWhileOthersStayAsync(HubConnection affected, Task closed, Func<Task> change)
    {
        await using var bystander = await LiveClient.ConnectAsync(app.ServerAddress, ViewerKey);

        await change();

        Assert.True(await Task.WhenAny(closed, Task.Delay(CloseWithin)) == closed, "The connection was not closed.");
        Assert.Equal(HubConnectionState.Disconnected, affected.State);
        Assert.Equal(HubConnectionState.Connected, bystander.Connection.State);
    }

    [Fact]
    public async Task Revoking_a_key_closes_its_open_connection()
    {
        using var admin = app.CreateClient(AdminKey);
        var key = await admin.IssueKeyAsync(UniqueName("live"), "Viewer");
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, key.Secret);
        var closed = await ClosedAsync(live.Connection);

        await AssertClosedWhileOthersStayAsync(live.Connection, closed, async () =>
        {
            using var revoked = await admin.DeleteAsync($"/api/keys/{key.Id}");
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        });
    }

    [Fact]
    public async Task A_key_that_expires_closes_its_open_connection()
    {
        using var admin = app.CreateClient(AdminKey);
        var key = await admin.IssueKeyAsync(UniqueName("expiring"), "Viewer", DateTimeOffset.UtcNow.AddSeconds(3));
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, key.Secret);
        var closed = await ClosedAsync(live.Connection);

        await AssertClosedWhileOthersStayAsync(live.Connection, closed, () => Task.CompletedTask);
    }

    [Fact]
    public async Task Disabling_a_user_closes_their_open_connection()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        await using var live = await ConnectWithCookieAsync(user);
        var closed = await ClosedAsync(live.Connection);

        await AssertClosedWhileOthersStayAsync(live.Connection, closed, () => SetAsync(user, (admin, id) =>
            admin.SetDisabledAsync(id, true, Person("admin@example.org"))));
    }

    [Fact]
    public async Task Changing_a_users_role_closes_their_open_connection()
    {
        var user = await app.CreateUserAsync(Role.Coordinator);
        await using var live = await ConnectWithCookieAsync(user);
        var closed = await ClosedAsync(live.Connection);

        await AssertClosedWhileOthersStayAsync(live.Connection, closed, () => SetAsync(user, (admin, id) =>
            admin.SetRoleAsync(id, "Viewer", Person("admin@example.org"))));
    }

    private async Task SetAsync(TestUser user, Func<UserAdministration, string, Task<Web.AdminResult>> change)
    {
        var id = (await app.FindUserAsync(user.Email)).Id;
        var result = await change(app.Services.GetRequiredService<UserAdministration>(), id);
        Assert.True(result.Succeeded, result.Message);
    }
}
