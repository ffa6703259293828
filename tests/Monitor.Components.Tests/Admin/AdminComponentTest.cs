using AngleSharp.Dom;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Data;
using Monitor.Web.Security;
using Monitor.Web.Security.ApiKeys;
using MudBlazor;
using MudBlazor.Services;

namespace Monitor.Components.Tests.Admin;

/// <summary>
/// A bUnit context for the admin pages: MudBlazor with its popover, dialog and snackbar providers, and the app's real
/// administration services over a migrated SQLite database in a temporary file (Identity included). The signed-in
/// user is an admin named <see cref="AdminName"/>; the clock is fake so times on screen are known.
/// </summary>
public abstract class AdminComponentTest : BunitContext, IAsyncLifetime
{
    public const string AdminName = "admin@x";
    public const string ConfiguredKeyName = "ingest from configuration";
    public const string ConfiguredKeySecret = "configured-secret-value-0123456789";

    /// <summary>The address of the admin's browser, as the circuit knows it.</summary>
    public const string AdminAddress = "203.0.113.9";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "monitor-admin-components-" + Guid.NewGuid().ToString("N"));

    protected AdminComponentTest()
    {
        Directory.CreateDirectory(_directory);
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;

        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddDbContextFactory<MonitorDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "monitor.db")}"));
        Services.AddSingleton<DatabaseWrites>();
        Services.AddAudit();
        Services.AddScoped(_ => new ClientAddress(AdminAddress));
        Services.AddUserAdministration();
        Services.AddApiKeyAdministration();
        Services.Configure<AuthOptions>(o => o.ApiKeys.Add(new ApiKeyOptions { Name = ConfiguredKeyName, Key = ConfiguredKeySecret, Role = "Reporter" }));

        var authorization = AddAuthorization();
        authorization.SetAuthorized(AdminName);
        authorization.SetRoles(nameof(Role.Admin));

        Task.Run(async () =>
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
            await db.Database.MigrateAsync();
        }).GetAwaiter().GetResult();

        Render<MudPopoverProvider>();
        DialogProvider = Render<MudDialogProvider>();
    }

    /// <summary>Now, as the pages see it. MudBlazor's debounce timers run on it too: advance it to let typing through.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    /// <summary>Where dialogs (and message boxes) appear.</summary>
    protected IRenderedComponent<MudDialogProvider> DialogProvider { get; }

    protected UserAdministration Users => Services.GetRequiredService<UserAdministration>();

    protected ApiKeyAdministration Keys => Services.GetRequiredService<ApiKeyAdministration>();

    protected AuditLog Audit => Services.GetRequiredService<AuditLog>();

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    /// <summary>Someone other than the signed-in admin, for changes made before a page opens.</summary>
    protected static System.Security.Claims.ClaimsPrincipal Setup { get; } =
        new(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "setup@x")], "test"));

    protected async Task<OneTimePassword> CreateUserAsync(string email, string role, string? displayName = null)
    {
        var result = await Users.CreateAsync(new NewUser(email, displayName, role), Setup);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    protected async Task<bool> SignsInAsync(string email, string password)
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        return await users.FindByEmailAsync(email) is { } user && await users.CheckPasswordAsync(user, password);
    }

    protected async Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(string action) =>
        (await Audit.QueryAsync(new AuditQuery(Action: action, Take: 1000))).Entries;

    /// <summary>The content of the one dialog on screen marked <c>data-dialog="<paramref name="name"/>"</c>.</summary>
    protected IElement Dialog(string name) => DialogProvider.Find($"[data-dialog='{name}']");

    protected bool DialogOpen(string name) => DialogProvider.FindAll($"[data-dialog='{name}']").Count > 0;

    /// <summary>Clicks the button of an open message box that reads <paramref name="text"/>.</summary>
    protected void ClickMessageBoxButton(string text) =>
        DialogProvider.FindAll("button").Single(b => b.TextContent.Trim() == text).Click();

    /// <summary>Clicks the button marked <c>data-action</c> in the open dialog (its actions sit outside its content).</summary>
    protected void ClickDialogButton(string action) => DialogProvider.Find($"button[data-action='{action}']").Click();

    /// <summary>Types into the field marked <c>data-field</c> of the open dialog (MudBlazor puts the attribute on the input).</summary>
    protected void Type(string field, string value) => DialogProvider.Find($"input[data-field='{field}']").Change(value);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary folder behind.
        }
    }

    /// <summary>The entry records the signed-in admin and the address of their browser.</summary>
    protected static void AssertByAdminFromBrowser(AuditEntry entry)
    {
        Assert.Equal(AdminName, entry.Actor);
        Assert.Equal(AdminAddress, entry.RemoteIp);
    }
}
