using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monitor.Browser.Tests.Fixtures;
using Monitor.Browser.Tests.Security;
using Monitor.Web.Security;
using Xunit.Abstractions;

namespace Monitor.Browser.Tests.WeakLinks;

/// <summary>The app as an installation serves it (Production), for <see cref="WeakLinkTests"/>.</summary>
public sealed class ProductionServer : IDisposable
{
    public MonitorServer Server { get; } = new(environment: "Production");

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// SPEC's weak-link bar, measured in Chromium against the app in Production: sign-in page plus the first dashboard
/// with a cold cache ≤ 600 KB transferred (HTTP and the live connection), a reload with a warm cache ≤ 150 KB.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class WeakLinkTests(BrowserFixture browser, ProductionServer production, ITestOutputHelper output) : IClassFixture<ProductionServer>
{
    public const long ColdBudget = 600 * 1024;
    public const long WarmBudget = 150 * 1024;

    [Fact]
    public async Task Sign_in_and_first_dashboard_fit_the_cold_and_warm_cache_budgets()
    {
        var page = await NewPageAsync();
        var meter = await TransferMeter.StartAsync(page);

        await LoginPage.SignInAsync(page, production.Server.DemoUsers[Role.Viewer]);
        await AppPages.WaitUntilSettledAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var cold = (meter.HttpBytes, meter.WebSocketBytes, meter.TotalBytes);
        var coldDetail = meter.Describe();

        meter.Reset();
        await page.ReloadAsync();
        await AppPages.WaitUntilSettledAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var warm = (meter.HttpBytes, meter.WebSocketBytes, meter.TotalBytes);

        output.WriteLine($"cold: {cold.TotalBytes / 1024.0:N1} KB (HTTP {cold.HttpBytes / 1024.0:N1} KB, live connection {cold.WebSocketBytes / 1024.0:N1} KB)");
        output.WriteLine($"warm reload: {warm.TotalBytes / 1024.0:N1} KB (HTTP {warm.HttpBytes / 1024.0:N1} KB, live connection {warm.WebSocketBytes / 1024.0:N1} KB)");
        output.WriteLine(coldDetail);
        Assert.True(cold.TotalBytes <= ColdBudget, $"Cold sign-in and dashboard moved {cold.TotalBytes:N0} bytes (budget {ColdBudget:N0}):\n{coldDetail}");
        Assert.True(warm.TotalBytes <= WarmBudget, $"A warm reload moved {warm.TotalBytes:N0} bytes (budget {WarmBudget:N0}):\n{meter.Describe()}");
    }

    [Fact]
    public async Task Sign_in_page_does_not_load_the_chart_script()
    {
        var page = await NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);

        await page.GotoAsync(LoginPage.Path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.NotEmpty(requested);
        Assert.DoesNotContain(requested, url => url.Contains("apexcharts", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Every_script_and_stylesheet_of_the_pages_is_served_compressed_at_the_address_the_page_uses()
    {
        var page = await NewPageAsync();
        await LoginPage.SignInAsync(page, production.Server.DemoUsers[Role.Viewer]);
        await AppPages.WaitUntilSettledAsync(page);
        var addresses = await page.Locator("link[rel='stylesheet'][href], script[src]")
            .EvaluateAllAsync<string[]>("elements => elements.map(e => e.href || e.src)");
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        var uncompressed = new List<string>();

        foreach (var address in addresses.Distinct())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, address);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Content.Headers.ContentEncoding.Count == 0) uncompressed.Add($"{address} ({response.Content.Headers.ContentLength:N0} bytes)");
        }

        Assert.Contains(addresses, a => FingerprintedMudBlazor().IsMatch(a) || a.Contains("MudBlazor.min.css", StringComparison.Ordinal));
        Assert.True(uncompressed.Count == 0, "Served uncompressed:\n" + string.Join("\n", uncompressed));
    }

    private async Task<IPage> NewPageAsync()
    {
        // A fresh context: an empty cache, as on a planner's first visit.
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = production.Server.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        return await context.NewPageAsync();
    }

    [GeneratedRegex(@"MudBlazor\.min\.[a-z0-9]+\.css")]
    private static partial Regex FingerprintedMudBlazor();
}
