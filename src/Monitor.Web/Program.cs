using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Monitor.Web;
using Monitor.Web.Accounts;
using Monitor.Web.Alerts;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Components;
using Monitor.Web.Dashboards;
using Monitor.Web.Data;
using Monitor.Web.Demo;
using Monitor.Web.Health;
using Monitor.Web.Live;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Corrections;
using Monitor.Web.Observations.Kobo;
using Monitor.Web.Observations.Import;
using Monitor.Web.Observations.Outbox;
using Monitor.Web.Security;
using Monitor.Web.Security.ApiKeys;
using MudBlazor.Services;

// `create-admin` shares the app's configuration and database but serves nothing; see Accounts/CreateAdminCommand.cs.
var createAdmin = CreateAdminCommand.Parse(args, out var hostArgs);

var builder = WebApplication.CreateBuilder(hostArgs);
var services = builder.Services;

// Serve package assets (MudBlazor, the framework's scripts) when running from build output in any environment,
// as `dotnet run` and browser tests do; a published app has its assets copied and this does nothing.
builder.WebHost.UseStaticWebAssets();
// Serve them from build output as a published app does: compressed, fingerprinted ones cached for a year. The
// framework's runtime reloading (its default for build output) re-sends each edited file uncompressed and uncached,
// and takes a file as edited whenever its timestamp has finer precision than the manifest's. Set to true for live CSS edits.
builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
// 1 MB unless configured: only the observations endpoint needs more, and it says so itself (8 MB).
builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.Limits.MaxRequestBodySize =
    context.Configuration.GetValue<long?>("Kestrel:Limits:MaxRequestBodySize") ?? RequestLimits.DefaultMaxBodyBytes);

services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section).ValidateOnStart();
services.AddSingleton<AppPaths>();
services.AddSingleton(TimeProvider.System);

services.AddDbContextFactory<MonitorDbContext>((sp, options) =>
    options.UseSqlite($"Data Source={Path.Combine(sp.GetRequiredService<AppPaths>().DataDirectory, "monitor.db")}")
        .AddInterceptors(new SqliteBusyTimeout(TimeSpan.FromSeconds(30))));
services.AddSingleton<CatalogService>();
services.AddSingleton<AuditLog>();
services.AddSingleton<DashboardCatalog>();
services.AddObservations();
services.AddKoboIngest();
services.AddObservationForms();
services.AddSingleton<DatabaseMigration>();
services.AddSingleton<CatalogSeeding>();
services.AddSingleton<ObservationSeeding>();
services.AddHostedService<StartupSequence>();
services.AddDemoFeed();
services.AddAlerts();

services.AddMonitorSecurity();
services.AddMonitorAccounts();
services.AddUserAdministration();
services.AddApiKeyAdministration();
services.AddMonitorRateLimiting();
services.AddMonitorForwardedHeaders();
services.AddMonitorHealth();
services.AddProblemDetails();
services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
services.AddExceptionHandler<BadRequestExceptionHandler>();
services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

services.AddSignalR().AddJsonProtocol(options => ConfigureJson(options.PayloadSerializerOptions));
services.AddSingleton<SubscriptionRegistry>();
services.AddHostedService<HubForwarder>();
services.AddHubCredentialCheck();

services.AddLocalization();
// The UI's languages: English now; adding a culture here and a Strings.<culture>.resx is all a translation needs
// (right-to-left layout follows the culture).
services.Configure<RequestLocalizationOptions>(options => options
    .SetDefaultCulture("en")
    .AddSupportedCultures("en")
    .AddSupportedUICultures("en"));
services.AddMudServices();
services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

if (createAdmin is not null)
{
    return await createAdmin.RunAsync(app.Services, Console.In, Console.Out, Console.Error);
}

// First, so that everything after it sees the client's address and scheme, not the proxy's.
if (app.Configuration.GetValue<bool>($"{ForwardedHeadersSettings.Section}:{nameof(ForwardedHeadersSettings.Enabled)}"))
{
    app.UseForwardedHeaders();
}
app.UseSecurityHeaders();
app.UseExceptionHandler();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseRequestLocalization();
app.UseCrossSiteRequestCheck();
app.UseAuthentication();
app.UseAuthorization();
// After authentication: observation batches are limited per key or user.
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapMonitorHealth();
app.MapCatalogApi();
app.MapObservationsApi();
app.MapCorrectionsApi();
app.MapKoboApi();
app.MapObservationImportApi();
app.MapOutboxApi();
app.MapAlertsApi();
app.MapAccountEndpoints();
app.MapAuditApi();
app.MapApiKeysApi();
app.MapUsersApi();
app.MapHub<AlertsHub>(AlertsHub.Path, options => options.CloseOnAuthenticationExpiration = true);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Policies.Viewer);

app.Run();
return 0;

static void ConfigureJson(JsonSerializerOptions json)
{
    json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
    json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    // A number sent as a string is a client bug worth reporting, not guessing at.
    json.NumberHandling = JsonNumberHandling.Strict;
    json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    json.Converters.Add(new UtcDateTimeOffsetConverter());
}

/// <summary>The entry point, public so integration tests can host the app.</summary>
public partial class Program;
