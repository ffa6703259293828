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

services.AddMonitorSettings();
services.AddMonitorDatabase();
services.AddCatalog();
services.AddAudit();
services.AddDashboards();
services.AddObservations();
services.AddKoboIngest();
services.AddObservationForms();
services.AddStartupSequence();
services.AddDemoFeed();
services.AddAlerts();

services.AddMonitorSecurity();
services.AddMonitorAccounts();
services.AddUserAdministration();
services.AddApiKeyAdministration();
services.AddMonitorRateLimiting();
services.AddMonitorForwardedHeaders();
services.AddMonitorHealth();
services.AddMonitorProblemDetails();
services.AddMonitorJson();
services.AddLiveUpdates();
services.AddUserInterface();

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
app.MapLiveUpdates();
app.MapUserInterface();

app.Run();
return 0;

/// <summary>The entry point, public so integration tests can host the app.</summary>
public partial class Program;
