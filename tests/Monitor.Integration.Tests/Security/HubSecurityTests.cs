using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Integration.Tests.Hub;
using Monitor.Web.Live;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Security;

/// <summary>Browsers on the hub with their login cookie, and the hub's methods × roles, found by reflection.</summary>
public sealed class HubSecurityTests(KestrelMonitorAppFactory app) : IClassFixture<KestrelMonitorAppFactory>
{
    /// <summary>The methods a client may invoke: public methods AlertsHub declares, not the connection lifecycle it overrides.</summary>
    public static IReadOnlyList<MethodInfo> HubMethods { get; } = typeof(AlertsHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(AlertsHub))
        .ToArray();

    public static TheoryData<string, Role> MethodsByRole()
    {
        var data = new TheoryData<string, Role>();
        foreach (var method in HubMethods)
        {
            foreach (var role in Enum.GetValues<Role>()) data.Add(method.Name, role);
        }
        return data;
    }

    /// <summary>The least role for a method: the hub's policy and the method's own, the strictest winning.</summary>
    private static Role LeastRole(MethodInfo method)
    {
        var least = Role.Viewer;
        foreach (var data in typeof(AlertsHub).GetCustomAttributes<AuthorizeAttribute>().Concat(method.GetCustomAttributes<AuthorizeAttribute>()))
        {
            Assert.True(data.Policy is not null && Enum.TryParse<Role>(data.Policy, out _) && string.IsNullOrEmpty(data.Roles),
                $"{method.Name}: hub authorization must name one of the Policies.* role policies.");
            var role = Enum.Parse<Role>(data.Policy!);
            if (role > least) least = role;
        }
        return least;
    }

    private static object?[] DefaultArguments(MethodInfo method) =>
        method.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();

    [Fact]
    public void Hub_requires_a_role_policy_and_has_methods_to_check()
    {
        Assert.Contains(typeof(AlertsHub).GetCustomAttributes<AuthorizeAttribute>(), a => a.Policy == Policies.Viewer);
        Assert.Contains(HubMethods, m => m.Name == nameof(AlertsHub.Subscribe));
    }

    [Theory]
    [MemberData(nameof(MethodsByRole))]
    public async Task Hub_method_admits_exactly_the_roles_its_policy_allows(string methodName, Role role)
    {
        var method = HubMethods.Single(m => m.Name == methodName);
        await using var live = await LiveClient.ConnectAsync(app.ServerAddress, KeysByRole[role.ToString()]);

        var error = await Record.ExceptionAsync(() => live.Connection.InvokeCoreAsync(method.Name, typeof(object), DefaultArguments(method)));

        var refused = error is HubException hub && hub.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase);
        if (role >= LeastRole(method))
        {
            Assert.False(refused, $"{role} was refused {methodName}: {error?.Message}");
        }
        else
        {
            Assert.True(refused, $"{role} was not refused {methodName} (got {error?.Message ?? "success"}).");
        }
    }

    [Fact]
    public async Task Browser_connects_with_its_login_cookie_over_a_real_websocket_and_receives_observations()
    {
        var user = await app.CreateUserAsync(Role.Viewer);
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using (var browser = new HttpClient(handler, disposeHandler: false) { BaseAddress = app.ServerAddress })
        {
            await browser.SignInAsync(user);
        }
        await using var live = await LiveClient.ConnectAsync(LiveClient.Build(app.ServerAddress, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.Cookies = cookies;
        }));
        using var reporter = app.CreateClient(ReporterKey);
        var day = NewWindow();

        await (await reporter.PostObservationsAsync(new { siteId = Rawa, indicatorId = FuelStationsOpen, value = 3, timestamp = day })).AssertAcceptedAsync(1);

        Assert.Equal(Rawa, (await live.NextAsync()).GetProperty("siteId").GetString());
    }

    [Fact]
    public async Task Negotiate_with_a_login_cookie_is_accepted_and_without_one_refused()
    {
        var user = await app.CreateUserAsync(Role.Reporter);
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = app.ServerAddress };
        using var anonymous = new HttpClient { BaseAddress = app.ServerAddress };

        using var refused = await browser.PostAsync(LiveClient.HubPath + "/negotiate?negotiateVersion=1", null);
        await browser.SignInAsync(user);
        using var accepted = await browser.PostAsync(LiveClient.HubPath + "/negotiate?negotiateVersion=1", null);

        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Blazor_circuit_negotiate_refuses_anonymous_clients()
    {
        using var anonymous = new HttpClient { BaseAddress = app.ServerAddress };

        using var response = await anonymous.PostAsync("_blazor/negotiate?negotiateVersion=1", null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
