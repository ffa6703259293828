using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Hub;

public sealed class HubAuthenticationTests(KestrelMonitorAppFactory app) : IClassFixture<KestrelMonitorAppFactory>
{
    private const string WrongKey = "wrong-key-but-long-enough";

    private Uri Server => app.ServerAddress;

    private static async Task AssertRefusedAsync(HubConnection connection)
    {
        await using (connection)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync());
            var refusedWith401 = error is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } || error.Message.Contains("401", StringComparison.Ordinal);
            Assert.True(refusedWith401, $"Expected a 401 refusal, got {error.GetType().Name}: {error.Message}");
            Assert.Equal(HubConnectionState.Disconnected, connection.State);
        }
    }

    [Fact]
    public async Task Anonymous_connection_is_refused_at_negotiate()
    {
        await AssertRefusedAsync(LiveClient.Build(Server, _ => { }));
    }

    [Fact]
    public async Task Anonymous_websocket_without_negotiate_is_refused()
    {
        await AssertRefusedAsync(LiveClient.Build(Server, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        }));
    }

    [Fact]
    public async Task Wrong_key_in_the_header_is_refused()
    {
        await AssertRefusedAsync(LiveClient.Build(Server, o => o.Headers["X-Api-Key"] = WrongKey));
    }

    [Fact]
    public async Task Wrong_key_from_the_access_token_provider_is_refused()
    {
        await AssertRefusedAsync(LiveClient.Build(Server, o => o.AccessTokenProvider = () => Task.FromResult<string?>(WrongKey)));
    }

    [Fact]
    public async Task Wrong_key_in_the_access_token_query_is_refused()
    {
        await AssertRefusedAsync(LiveClient.Build(Server, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        }, $"?access_token={WrongKey}"));
    }

    [Fact]
    public async Task Negotiate_without_a_key_is_401_problem()
    {
        using var client = new HttpClient { BaseAddress = Server };

        using var response = await client.PostAsync(LiveClient.HubPath + "/negotiate?negotiateVersion=1", null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Negotiate_with_a_bearer_key_offers_websockets()
    {
        using var client = new HttpClient { BaseAddress = Server };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ViewerKey);

        using var response = await client.PostAsync(LiveClient.HubPath + "/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False(string.IsNullOrEmpty(body["connectionToken"]?.GetValue<string>()));
        Assert.Contains(body["availableTransports"]!.AsArray(), t => t!["transport"]!.GetValue<string>() == "WebSockets");
    }

    public static TheoryData<string> AuthForms => ["X-Api-Key header", "Bearer access token", "access_token query"];

    [Theory]
    [MemberData(nameof(AuthForms))]
    public async Task Each_documented_key_form_connects_and_receives_observations(string form)
    {
        var connection = form switch
        {
            "X-Api-Key header" => LiveClient.Build(Server, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers["X-Api-Key"] = ViewerKey;
            }),
            "Bearer access token" => LiveClient.Build(Server, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(ViewerKey);
            }),
            "access_token query" => LiveClient.Build(Server, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            }, $"?access_token={Uri.EscapeDataString(ViewerKey)}"),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        await using var live = await LiveClient.ConnectAsync(connection);
        using var reporter = app.CreateClient(ReporterKey);
        var day = NewWindow();

        await (await reporter.PostObservationsAsync(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 17, timestamp = day })).AssertAcceptedAsync(1);

        var received = await live.NextAsync();
        Assert.Equal(Kirkuk, received.GetProperty("siteId").GetString());
        Assert.Equal(day, received.GetProperty("timestamp").GetDateTimeOffset());
    }
}
