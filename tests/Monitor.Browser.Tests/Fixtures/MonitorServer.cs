using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Web.Accounts;
using Monitor.Web.Security;

namespace Monitor.Browser.Tests.Fixtures;

public sealed record DemoUser(Role Role, string Email, string Password);

/// <summary>
/// The whole app on a real Kestrel port with the shipped reference scenario and dashboards, in a fresh data directory,
/// in demo mode as a newcomer runs it: the demo users' passwords are read from what the app prints for its operator.
/// </summary>
public sealed partial class MonitorServer : WebApplicationFactory<Program>
{
    public const string ReporterKey = "browser-tests-reporter-key";
    public const string CoordinatorKey = "browser-tests-coordinator-key";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("monitor-browser-").FullName;
    private readonly StringWriter _operatorOutput = new();

    private readonly bool _demoFeed;
    private readonly string _environment;

    /// <param name="demoFeed">Run the demo feed (the scenario moved to now and streamed), as a first <c>dotnet run</c> does.</param>
    /// <param name="environment">Development as <c>dotnet run</c> starts it; Production for what an installation serves.</param>
    public MonitorServer(bool demoFeed = false, string environment = "Development")
    {
        _demoFeed = demoFeed;
        _environment = environment;
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = new Uri(addresses.Addresses.First());
        DemoUsers = DemoLine().Matches(_operatorOutput.ToString())
            .Select(m => new DemoUser(Enum.Parse<Role>(m.Groups[1].Value), m.Groups[2].Value, m.Groups[3].Value))
            .ToDictionary(u => u.Role);
        if (DemoUsers.Count != Enum.GetValues<Role>().Length)
            throw new InvalidOperationException("Demo mode did not print one user per role:\n" + _operatorOutput);
    }

    public Uri BaseUrl { get; }

    public IReadOnlyDictionary<Role, DemoUser> DemoUsers { get; }

    /// <summary>A user of its own for a test that changes it, so the demo users stay as they are.</summary>
    public async Task<DemoUser> CreateUserAsync(Role role)
    {
        var user = new DemoUser(role, $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.org", UserAdministration.GeneratePassword());
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateUserAsync(user.Email, user.Password, role, "browser test");
        if (!result.Succeeded) throw new InvalidOperationException(UserAdministration.Describe(result));
        return user;
    }

    public async Task DisableUserAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<MonitorUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        user.Disabled = true;
        await users.UpdateAsync(user);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Monitor:DataDirectory", _dataDirectory);
        builder.UseSetting("Monitor:DemoUsers", "true");
        // The dashboards' tests read the scenario on its real dates, not moved and streamed by the demo feed, unless asked.
        builder.UseSetting("Monitor:DemoFeed:Enabled", _demoFeed ? "true" : "false");
        // Every test signs in from the same address.
        builder.UseSetting("RateLimits:Login:PermitLimit", "1000");
        // Open pages re-check their user every 5 s (the shortest the app allows), so a disabled user's page closes in a test's time.
        builder.UseSetting("Auth:Sessions:CheckInterval", "00:00:05");
        builder.UseSetting("Auth:ApiKeys:0:Name", "browser-tests");
        builder.UseSetting("Auth:ApiKeys:0:Key", ReporterKey);
        builder.UseSetting("Auth:ApiKeys:0:Role", "Reporter");
        builder.UseSetting("Auth:ApiKeys:1:Name", "browser-tests-rules");
        builder.UseSetting("Auth:ApiKeys:1:Key", CoordinatorKey);
        builder.UseSetting("Auth:ApiKeys:1:Role", "Coordinator");
        builder.ConfigureTestServices(services => services.AddSingleton(new OperatorConsole(_operatorOutput)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [GeneratedRegex(@"^\s+(Viewer|Reporter|Coordinator|Admin)\s+(\S+@demo\.local)\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DemoLine();
}
