using System.Net;
using System.Text;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Security;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Security;

/// <summary>Low limits, so a handful of requests is a flood; a window long enough that nothing refills during a test.</summary>
public sealed class LowRateLimitFactory : MonitorAppFactory
{
    public const int LoginAttempts = 3;
    public const int ObservationBatches = 2;

    public LowRateLimitFactory()
    {
        Settings["RateLimits:Login:PermitLimit"] = LoginAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["RateLimits:Login:Window"] = "00:10:00";
        Settings["RateLimits:Observations:TokenLimit"] = ObservationBatches.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["RateLimits:Observations:TokensPerPeriod"] = "1";
        Settings["RateLimits:Observations:ReplenishmentPeriod"] = "00:10:00";
    }
}

public sealed class RateLimitTests
{
    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Sign_in_flood_from_one_address_gets_429_with_retry_after_while_the_form_still_shows()
    {
        await using var app = new LowRateLimitFactory();
        var user = await app.CreateUserAsync(Role.Viewer);
        using var browser = app.CreateBrowserClient();
        for (var attempt = 0; attempt < LowRateLimitFactory.LoginAttempts; attempt++)
        {
            using var allowed = await browser.PostLoginAsync(user.Email, "wrong password, attempt " + attempt);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await browser.PostLoginAsync(user.Email, user.Password);

        await AssertTooManyAsync(refused);
        using var form = await browser.GetAsync(MonitorAuthentication.LoginPath);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync("/sites")).StatusCode);
    }

    [Fact]
    public async Task Observation_flood_from_one_key_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        await using var app = new LowRateLimitFactory();
        using var reporter = app.CreateClient(ReporterKey);
        using var other = app.CreateClient(AdminKey);
        var day = NewWindow();
        for (var batch = 0; batch < LowRateLimitFactory.ObservationBatches; batch++)
        {
            await (await reporter.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = batch, timestamp = day.AddHours(batch) }))
                .AssertAcceptedAsync(1);
        }

        using var refused = await reporter.PostObservationsAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 99, timestamp = day.AddHours(5) });

        await AssertTooManyAsync(refused);
        Assert.Equal(LowRateLimitFactory.ObservationBatches, (await other.GetDayAsync(Mosul, FuelStationsOpen, day)).Count);
        await (await other.PostObservationsAsync(new { siteId = Kirkuk, indicatorId = FuelStationsOpen, value = 1, timestamp = day })).AssertAcceptedAsync(1);
        using var read = await reporter.GetAsync("/api/sites");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}

/// <summary>Body limits are Kestrel's: checked on a real socket.</summary>
public sealed class BodyLimitTests(KestrelMonitorAppFactory app) : IClassFixture<KestrelMonitorAppFactory>
{
    [Fact]
    public async Task Body_over_1_MB_to_an_endpoint_without_its_own_limit_is_413_problem()
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress };
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "login", ["Input.Email"] = new string('a', 2 * 1024 * 1024) });

        using var response = await client.PostAsync(MonitorAuthentication.LoginPath, content);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Observation_batch_over_1_MB_is_still_read()
    {
        using var reporter = app.CreateClient(ReporterKey);
        var note = new string('n', 2 * 1024 * 1024);

        using var response = await reporter.PostRawAsync($$"""[{"siteId":"mosul","indicatorId":"fuel.stations_open_pct","value":1,"note":"{{note}}"}]""");

        Assert.Equal(["[0].note"], (await response.AssertValidationProblemAsync()).Keys);
    }
}

public sealed class SecurityHeaderTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    public static TheoryData<string, string?> Responses => new()
    {
        { MonitorAuthentication.LoginPath, null },
        { "/", null },
        { "/api/sites", ViewerKey },
        { "/api/sites", null },
        { "/healthz", null },
        { "/app.css", null },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(string path, string? key)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var response = await client.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotMatch("script-src[^;]*'unsafe-inline'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_only_inline_script_carries_this_response_nonce()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(MonitorAuthentication.LoginPath);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var inline = System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value).ToArray();
        Assert.Equal([$"<script type=\"importmap\" nonce=\"{nonce}\">"], inline);
        using var again = await client.GetAsync(MonitorAuthentication.LoginPath);
        Assert.DoesNotContain(nonce, Assert.Single(again.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
