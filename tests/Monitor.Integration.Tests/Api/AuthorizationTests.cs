using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

public sealed class AuthorizationTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private const string ValidBatch = """[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":50}]""";

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/sites" },
        { "GET", $"/api/sites/{Mosul}" },
        { "GET", $"/api/sites/{Mosul}/latest" },
        { "GET", "/api/indicators" },
        { "GET", $"/api/observations?siteId={Mosul}&indicatorId={FuelStationsOpen}" },
        { "POST", "/api/observations" },
    };

    private static HttpRequestMessage Request(string method, string path, Action<HttpRequestHeaders>? authenticate = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent(ValidBatch, Encoding.UTF8, "application/json");
        authenticate?.Invoke(request.Headers);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, Action<HttpRequestHeaders>? authenticate = null)
    {
        using var client = app.CreateClient();
        return await client.SendAsync(Request(method, path, authenticate));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Request_without_a_key_is_refused_with_401_problem(string method, string path)
    {
        using var response = await SendAsync(method, path);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Request_with_an_unknown_key_is_refused_with_401_problem(string method, string path)
    {
        using var response = await SendAsync(method, path, h => h.Add("X-Api-Key", "not-a-configured-key-at-all"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Request_with_an_unknown_bearer_key_is_refused_with_401_problem(string method, string path)
    {
        using var response = await SendAsync(method, path, h => h.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-configured-key-at-all"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_differing_only_in_case_is_refused()
    {
        using var response = await SendAsync("GET", "/api/sites", h => h.Add("X-Api-Key", ViewerKey.ToUpperInvariant()));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Prefix_of_a_valid_key_is_refused()
    {
        using var response = await SendAsync("GET", "/api/sites", h => h.Add("X-Api-Key", ViewerKey[..^1]));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Access_token_query_value_does_not_authenticate_api_requests()
    {
        using var response = await SendAsync("GET", $"/api/sites?access_token={ViewerKey}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Viewer_key_reads_but_cannot_post(string method, string path)
    {
        using var response = await SendAsync(method, path, h => h.Add("X-Api-Key", ViewerKey));

        if (method == "POST")
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("role", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Viewer_post_stores_nothing()
    {
        var day = NewWindow();
        using var client = app.CreateClient(ViewerKey);

        using var response = await client.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 1, timestamp = day });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var reader = app.CreateClient(ReporterKey);
        Assert.Empty(await reader.GetDayAsync(Mosul, FuelStationsOpen, day));
    }

    [Theory]
    [InlineData(ReporterKey)]
    [InlineData(CoordinatorKey)]
    [InlineData(AdminKey)]
    public async Task Reporter_and_higher_roles_may_post_and_read(string key)
    {
        var day = NewWindow();
        using var client = app.CreateClient(key);

        using var post = await client.PostObservationsAsync(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 44, timestamp = day });

        await post.AssertAcceptedAsync(1);
        Assert.Equal(44, Assert.Single(await client.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Value);
    }

    [Fact]
    public async Task Bearer_authorization_header_authenticates_api_requests()
    {
        using var response = await SendAsync("POST", "/api/observations", h => h.Authorization = new AuthenticationHeaderValue("Bearer", ReporterKey));

        await response.AssertAcceptedAsync(1);
    }

    [Fact]
    public async Task Health_is_served_anonymously()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
