using System.Net;
using System.Net.WebSockets;
using System.Text;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Integration.Tests.Hub;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Security;

/// <summary>
/// A page on another site can make the browser send its login cookie — with a form post or a WebSocket — but not hide
/// its own <c>Origin</c>: such requests are refused, on a real socket, while API keys and same-site pages are served.
/// </summary>
public sealed class CrossSiteRequestTests : IClassFixture<KestrelMonitorAppFactory>
{
    private const string Partner = "https://partner.example";
    private readonly KestrelMonitorAppFactory _app;

    public CrossSiteRequestTests(KestrelMonitorAppFactory app)
    {
        _app = app;
        app.Settings["Auth:AllowedOrigins:0"] = Partner;
    }

    private string OwnOrigin => _app.ServerAddress.GetLeftPart(UriPartial.Authority);

    public static TheoryData<string> ForeignOrigins => new() { "https://evil.example", "null", "http://127.0.0.1", "https://partner.example:8443", "not an origin" };

    private async Task<(HttpClient Browser, CookieContainer Cookies)> SignedInBrowserAsync(Role role)
    {
        var user = await _app.CreateUserAsync(role);
        var cookies = new CookieContainer();
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _app.ServerAddress };
        await browser.SignInAsync(user);
        return (browser, cookies);
    }

    private static HttpRequestMessage Post(string origin, string? apiKey = null)
    {
        var day = NewWindow();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/observations")
        {
            Content = new StringContent($$"""[{"siteId":"{{Rawa}}","indicatorId":"{{FuelStationsOpen}}","value":4,"timestamp":"{{day:O}}"}]""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return request;
    }

    [Theory]
    [MemberData(nameof(ForeignOrigins))]
    public async Task A_signed_in_session_used_from_a_foreign_origin_is_refused_and_nothing_is_stored(string origin)
    {
        var (browser, _) = await SignedInBrowserAsync(Role.Reporter);
        using var _browser = browser;
        var before = await SequenceAsync();

        using var response = await browser.SendAsync(Post(origin));
        using var read = new HttpRequestMessage(HttpMethod.Get, "api/sites");
        read.Headers.Add("Origin", origin);
        using var readResponse = await browser.SendAsync(read);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        await readResponse.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await SequenceAsync());
    }

    [Fact]
    public async Task A_signed_in_session_is_served_from_its_own_origin_an_allowed_one_and_without_origin()
    {
        var (browser, _) = await SignedInBrowserAsync(Role.Reporter);
        using var _browser = browser;

        foreach (var origin in new[] { OwnOrigin, Partner })
        {
            using var response = await browser.SendAsync(Post(origin));
            await response.AssertAcceptedAsync(1);
        }
        using var plain = await browser.GetAsync("api/sites");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task An_api_key_is_accepted_from_any_origin()
    {
        using var client = new HttpClient { BaseAddress = _app.ServerAddress };

        using var response = await client.SendAsync(Post("https://evil.example", ReporterKey));

        await response.AssertAcceptedAsync(1);
    }

    [Theory]
    [InlineData(LiveClient.HubPath)]
    [InlineData("_blazor")]
    public async Task A_websocket_opened_with_the_login_cookie_from_a_foreign_origin_is_refused(string path)
    {
        var (browser, cookies) = await SignedInBrowserAsync(Role.Viewer);
        browser.Dispose();

        var foreign = await OpenWebSocketAsync(path, cookies, "https://evil.example");
        var own = await OpenWebSocketAsync(path, cookies, OwnOrigin);

        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, own);
    }

    private async Task<HttpStatusCode> OpenWebSocketAsync(string path, CookieContainer cookies, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(new Uri(_app.ServerAddress, path)) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The handshake was refused; its status says why.
        }
        return socket.HttpStatusCode;
    }

    private async Task<long> SequenceAsync() =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Monitor.Web.Observations.Feed.ObservationFeed>(_app.Services).LastSequence;
}
