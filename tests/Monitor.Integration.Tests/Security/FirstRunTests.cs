using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Security;

/// <summary>How the first accounts come to exist: the create-admin command, container settings, demo mode — never a built-in password.</summary>
public sealed partial class FirstRunTests
{
    private sealed record CommandResult(int ExitCode, string Output, string Errors);

    /// <summary>Runs the app's real entry point as its own process, as an operator would.</summary>
    private static async Task<CommandResult> RunAppAsync(string dataDirectory, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Monitor.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add($"--Monitor:DataDirectory={dataDirectory}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandResult(process.ExitCode, await output, await errors);
    }

    private static MonitorAppFactory AppOn(string dataDirectory) => new() { DataDirectory = dataDirectory };

    [Fact]
    public async Task Create_admin_prints_a_generated_password_that_signs_in_as_admin()
    {
        await using var app = new MonitorAppFactory();

        var result = await RunAppAsync(app.DataDirectory, null, CreateAdminCommand.Name, "--email", "ops@example.org");

        Assert.True(result.ExitCode == 0, result.Errors);
        var password = GeneratedPassword().Match(result.Output).Groups[1].Value;
        Assert.True(password.Length >= SecurityServiceCollectionExtensions.MinimumPasswordLength, result.Output);
        var admin = new TestUser("ops@example.org", password, Role.Admin);
        using var browser = await app.SignedInClientAsync(admin);
        using var response = await browser.GetAsync("/sites");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = Assert.Single(await app.AuditAsync(AuditActions.UserCreated), e => e.Target == "ops@example.org");
        Assert.Equal(AuditLog.System, created.Actor);
        Assert.Contains("Admin", created.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_admin_reads_the_password_from_stdin_and_does_not_echo_it()
    {
        await using var app = new MonitorAppFactory();
        const string password = "chosen by the operator";

        var result = await RunAppAsync(app.DataDirectory, password, CreateAdminCommand.Name, "--email", "chosen@example.org", "--password-stdin");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.DoesNotContain(password, result.Output, StringComparison.Ordinal);
        using var browser = await app.SignedInClientAsync(new TestUser("chosen@example.org", password, Role.Admin));
    }

    [Fact]
    public async Task Create_admin_refuses_a_password_shorter_than_12_characters_and_creates_nobody()
    {
        await using var app = new MonitorAppFactory();

        var result = await RunAppAsync(app.DataDirectory, "too short", CreateAdminCommand.Name, "--email", "weak@example.org", "--password-stdin");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at least 12 characters", result.Errors, StringComparison.Ordinal);
        Assert.Empty(await app.AuditAsync(AuditActions.UserCreated));
    }

    [Fact]
    public async Task Create_admin_refuses_an_email_that_already_has_an_account()
    {
        await using var app = new MonitorAppFactory();
        Assert.Equal(0, (await RunAppAsync(app.DataDirectory, null, CreateAdminCommand.Name, "--email", "twice@example.org")).ExitCode);

        var second = await RunAppAsync(app.DataDirectory, null, CreateAdminCommand.Name, "--email", "twice@example.org");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already taken", second.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_admin_without_an_email_prints_its_usage()
    {
        await using var app = new MonitorAppFactory();

        var result = await RunAppAsync(app.DataDirectory, null, CreateAdminCommand.Name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(CreateAdminCommand.Usage, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_from_settings_is_created_at_start_when_no_user_exists()
    {
        await using var app = new MonitorAppFactory();
        app.Settings["Monitor:Admin:Email"] = "container-admin@example.org";
        app.Settings["Monitor:Admin:Password"] = "set by the orchestrator";

        using var browser = await app.SignedInClientAsync(new TestUser("container-admin@example.org", "set by the orchestrator", Role.Admin));

        using var response = await browser.GetAsync("/sites");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await app.AuditAsync(AuditActions.UserCreated));
    }

    [Fact]
    public async Task Admin_from_settings_with_a_weak_password_fails_start_naming_the_setting()
    {
        await using var app = new MonitorAppFactory();
        app.Settings["Monitor:Admin:Email"] = "container-admin@example.org";
        app.Settings["Monitor:Admin:Password"] = "short";

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("Monitor:Admin", messages, StringComparison.Ordinal);
        Assert.Contains("at least 12 characters", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_email_without_a_password_fails_start_naming_both_settings()
    {
        await using var app = new MonitorAppFactory();
        app.Settings["Monitor:Admin:Email"] = "container-admin@example.org";

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(Flatten(error), e => e.Message.Contains("Monitor:Admin:Password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_users_or_demo_mode_nobody_can_sign_in_and_the_login_page_explains_create_admin()
    {
        await using var app = new MonitorAppFactory();
        using var browser = app.CreateBrowserClient();

        using var login = await browser.GetAsync(MonitorAuthentication.LoginPath);
        using var home = await browser.GetAsync("/");

        Assert.Contains("create-admin --email", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, home.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No user accounts exist", StringComparison.Ordinal));
        Assert.Empty(app.OperatorOutput);
    }

    [Fact]
    public async Task Demo_mode_creates_one_user_per_role_once_and_prints_their_passwords_once()
    {
        using var root = new TemporaryDirectory();
        var data = Path.Combine(root.Path, "data");
        IReadOnlyList<TestUser> demo;
        await using (var first = AppOn(data))
        {
            first.Settings["Monitor:DemoUsers"] = "true";
            first.CreateClient().Dispose();
            demo = DemoUsers(first.OperatorOutput);

            Assert.Equal(Enum.GetValues<Role>(), demo.Select(u => u.Role));
            Assert.Equal(demo.Count, demo.Select(u => u.Password).Distinct().Count());
            Assert.Contains(first.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Demo mode is on", StringComparison.Ordinal));
            foreach (var user in demo)
            {
                using var browser = await first.SignedInClientAsync(user);
                using var response = await browser.GetAsync("/api/sites");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            using var viewer = await first.SignedInClientAsync(demo[0]);
            using var refused = await viewer.PostAsync("/api/observations", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await using var second = AppOn(data);
        second.Settings["Monitor:DemoUsers"] = "true";
        second.CreateClient().Dispose();

        Assert.Empty(second.OperatorOutput);
        Assert.Equal(4, (await second.AuditAsync(AuditActions.UserCreated)).Count);
        using var again = await second.SignedInClientAsync(demo[3]);
    }

    /// <summary>The demo block: one line per role, "Role email password".</summary>
    private static IReadOnlyList<TestUser> DemoUsers(string output) =>
        DemoLine().Matches(output).Select(m => new TestUser(m.Groups[2].Value, m.Groups[3].Value, Enum.Parse<Role>(m.Groups[1].Value))).ToArray();

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.Flatten().InnerExceptions) yield return inner;
            }
        }
    }

    [GeneratedRegex(@"Password \(shown only now[^)]*\): (\S+)")]
    private static partial Regex GeneratedPassword();

    [GeneratedRegex(@"^\s+(Viewer|Reporter|Coordinator|Admin)\s+(\S+@demo\.local)\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DemoLine();
}
