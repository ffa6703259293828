using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Monitor.Browser.Tests.Fixtures;

/// <summary>
/// The whole app on a real Kestrel port with the shipped reference scenario and dashboards, in a fresh data directory.
/// </summary>
public sealed class MonitorServer : WebApplicationFactory<Program>
{
    public const string ReporterKey = "browser-tests-reporter-key";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("monitor-browser-").FullName;

    public MonitorServer()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = new Uri(addresses.Addresses.First());
    }

    public Uri BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Monitor:DataDirectory", _dataDirectory);
        builder.UseSetting("Auth:ApiKeys:0:Name", "browser-tests");
        builder.UseSetting("Auth:ApiKeys:0:Key", ReporterKey);
        builder.UseSetting("Auth:ApiKeys:0:Role", "Reporter");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
