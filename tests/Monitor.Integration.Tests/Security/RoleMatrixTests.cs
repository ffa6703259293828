using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Security;

/// <summary>The app with one signed-in browser per role and one API key per role, and its endpoint list.</summary>
public sealed class RoleMatrixFixture : IAsyncLifetime
{
    public MonitorAppFactory App { get; } = new();

    public Dictionary<Role, HttpClient> Browsers { get; } = [];

    public IReadOnlyList<EndpointCase> Cases { get; private set; } = [];

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task InitializeAsync()
    {
        App.CreateClient().Dispose();
        (Cases, Problems) = EndpointPolicies.Classify(App.Services.GetRequiredService<EndpointDataSource>().Endpoints);
        foreach (var role in Enum.GetValues<Role>())
        {
            Browsers[role] = await App.SignedInClientAsync(await App.CreateUserAsync(role));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Browsers.Values) client.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>
/// Every endpoint × {anonymous, Viewer, Reporter, Coordinator, Admin}, generated from the endpoint list: anonymous → 401
/// (or the login page for pages), a role below the endpoint's policy → 403 (or the access-denied page), at or above →
/// neither.
/// </summary>
public sealed class RoleMatrixTests(RoleMatrixFixture matrix) : IClassFixture<RoleMatrixFixture>
{
    private static HttpRequestMessage Request(EndpointCase endpoint)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
        if (endpoint.Method is "POST" or "PUT" or "PATCH")
        {
            // Well-formed but empty: reaches the handler without changing anything.
            request.Content = endpoint.Kind == EndpointKind.Machine
                ? new StringContent("[]", Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent([]);
        }
        return request;
    }

    private static bool RedirectsTo(HttpResponseMessage response, string path) =>
        response.StatusCode == HttpStatusCode.Found && response.Headers.Location is { } location
        && new Uri(new Uri("http://localhost"), location).AbsolutePath.Equals(path, StringComparison.OrdinalIgnoreCase);

    private static string? CheckRefused(EndpointCase endpoint, HttpResponseMessage response, HttpStatusCode status, string page, string who)
    {
        if (endpoint.Kind == EndpointKind.Machine)
        {
            if (response.StatusCode != status) return $"{endpoint} as {who}: expected {(int)status}, got {(int)response.StatusCode}";
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return $"{endpoint} as {who}: {(int)status} without problem details";
            return null;
        }
        if (RedirectsTo(response, page))
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://localhost"), response.Headers.Location!).Query);
            return query.TryGetValue(MonitorAuthentication.ReturnUrlParameter, out var back) && back == endpoint.Path
                ? null
                : $"{endpoint} as {who}: redirected to {page} without returning to {endpoint.Path}";
        }
        // A posted form endpoint (not a page) may answer 401/403 instead of sending a browser elsewhere.
        if (endpoint.Kind == EndpointKind.Other && response.StatusCode == status) return null;
        return $"{endpoint} as {who}: expected a redirect to {page}, got {(int)response.StatusCode} {response.Headers.Location}";
    }

    private static string? CheckAllowed(EndpointCase endpoint, HttpResponseMessage response, string who)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || RedirectsTo(response, MonitorAuthentication.LoginPath) || RedirectsTo(response, MonitorAuthentication.AccessDeniedPath))
            return $"{endpoint} as {who}: refused with {(int)response.StatusCode} {response.Headers.Location} although its policy admits {who}";
        // The login page sends someone already signed in on to the home page.
        var signedInAtLogin = endpoint.Path == MonitorAuthentication.LoginPath && RedirectsTo(response, "/");
        if (endpoint.Kind == EndpointKind.Page && endpoint.Method == "GET" && response.StatusCode != HttpStatusCode.OK && !signedInAtLogin)
            return $"{endpoint} as {who}: page answered {(int)response.StatusCode}";
        return null;
    }

    private static void AssertNoFailures(List<string> failures, int checkedCount)
    {
        Assert.True(checkedCount > 0, "The matrix checked nothing.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} checks failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_endpoint_is_in_the_role_table_and_has_a_role_policy_or_is_on_the_anonymous_allow_list()
    {
        Assert.True(matrix.Problems.Count == 0, string.Join("\n", matrix.Problems));
    }

    [Fact]
    public void Matrix_covers_the_api_the_hub_the_pages_and_sign_out()
    {
        var covered = matrix.Cases.Select(c => c.ToString()).ToHashSet();

        Assert.Contains("GET /api/sites", covered);
        Assert.Contains("POST /api/observations/", covered);
        Assert.Contains("POST /hubs/alerts/negotiate", covered);
        Assert.Contains("POST /_blazor/negotiate", covered);
        Assert.Contains("GET /", covered);
        Assert.Contains($"GET /sites/{TestScenario.Mosul}", covered);
        Assert.Contains("POST /account/logout", covered);
        Assert.Equal(Role.Reporter, Assert.Single(matrix.Cases, c => c.ToString() == "POST /api/observations/").Least);
    }

    [Fact]
    public async Task Anonymous_requests_reach_only_the_allow_list()
    {
        using var anonymous = matrix.App.CreateBrowserClient();
        var failures = new List<string>();
        foreach (var endpoint in matrix.Cases)
        {
            using var response = await anonymous.SendAsync(Request(endpoint));
            var failure = endpoint.Least is null
                ? CheckAllowed(endpoint, response, "anonymous")
                : CheckRefused(endpoint, response, HttpStatusCode.Unauthorized, MonitorAuthentication.LoginPath, "anonymous");
            if (failure is not null) failures.Add(failure);
        }
        AssertNoFailures(failures, matrix.Cases.Count);
    }

    [Fact]
    public async Task Each_signed_in_role_is_allowed_or_refused_as_each_endpoint_policy_says()
    {
        var failures = new List<string>();
        foreach (var (role, browser) in matrix.Browsers)
        {
            foreach (var endpoint in matrix.Cases)
            {
                using var response = await browser.SendAsync(Request(endpoint));
                var failure = endpoint.Least is null || role >= endpoint.Least
                    ? CheckAllowed(endpoint, response, $"signed-in {role}")
                    : CheckRefused(endpoint, response, HttpStatusCode.Forbidden, MonitorAuthentication.AccessDeniedPath, $"signed-in {role}");
                if (failure is not null) failures.Add(failure);
            }
        }
        AssertNoFailures(failures, matrix.Browsers.Count * matrix.Cases.Count);
    }

    [Fact]
    public async Task Each_api_key_role_is_allowed_or_refused_on_api_and_hub_endpoints_as_their_policy_says()
    {
        var machine = matrix.Cases.Where(c => c.Kind == EndpointKind.Machine && !c.Path.StartsWith("/_blazor", StringComparison.Ordinal)).ToArray();
        var failures = new List<string>();
        foreach (var (roleName, key) in TestScenario.KeysByRole)
        {
            var role = Enum.Parse<Role>(roleName);
            using var client = matrix.App.CreateClient(key);
            foreach (var endpoint in machine)
            {
                using var response = await client.SendAsync(Request(endpoint));
                var failure = endpoint.Least is null || role >= endpoint.Least
                    ? CheckAllowed(endpoint, response, $"{role} key")
                    : CheckRefused(endpoint, response, HttpStatusCode.Forbidden, "", $"{role} key");
                if (failure is not null) failures.Add(failure);
            }
        }
        AssertNoFailures(failures, TestScenario.KeysByRole.Count * machine.Length);
    }

    [Fact]
    public async Task Allow_listed_endpoints_and_static_assets_answer_anonymous_requests()
    {
        using var anonymous = matrix.App.CreateBrowserClient();

        using var health = await anonymous.GetAsync("/healthz");
        using var login = await anonymous.GetAsync(MonitorAuthentication.LoginPath);
        using var stylesheet = await anonymous.GetAsync("/app.css");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
    }

    [Fact]
    public async Task A_path_without_an_endpoint_sends_anonymous_visitors_to_the_login_page()
    {
        using var anonymous = matrix.App.CreateBrowserClient();

        using var response = await anonymous.GetAsync("/no-such-page");

        Assert.True(RedirectsTo(response, MonitorAuthentication.LoginPath), $"Got {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public void Endpoint_without_authorization_metadata_is_reported()
    {
        var unprotected = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/forgotten"), 0,
            new EndpointMetadataCollection(new HttpMethodMetadata(["GET"])), "forgotten");

        var (cases, problems) = EndpointPolicies.Classify([unprotected], new Dictionary<string, Role?>());

        Assert.Empty(cases);
        Assert.Contains("/api/forgotten", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Anonymous_endpoint_off_the_allow_list_is_reported()
    {
        var open = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/open"), 0,
            new EndpointMetadataCollection(new HttpMethodMetadata(["GET"]), new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute()), "open");

        var (_, problems) = EndpointPolicies.Classify([open], new Dictionary<string, Role?>());

        Assert.Contains("allow-list", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_missing_from_the_role_table_is_reported_and_left_out_of_the_matrix()
    {
        var unlisted = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/new"), 0,
            new EndpointMetadataCollection(new HttpMethodMetadata(["POST"]), new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(Policies.Admin)), "new");

        var (cases, problems) = EndpointPolicies.Classify([unlisted], new Dictionary<string, Role?>());

        Assert.Empty(cases);
        Assert.Contains("POST /api/new is not in the role table", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Role_table_row_without_an_endpoint_is_reported()
    {
        var (_, problems) = EndpointPolicies.Classify([], new Dictionary<string, Role?> { ["GET /api/gone"] = Role.Viewer });

        Assert.Contains("GET /api/gone", Assert.Single(problems), StringComparison.Ordinal);
    }
}
