using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Monitor.Web;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Components;
using Monitor.Web.Dashboards;
using Monitor.Web.Data;
using Monitor.Web.Health;
using Monitor.Web.Live;
using Monitor.Web.Observations;
using Monitor.Web.Security;
using Monitor.Web.Security.ApiKeys;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;

// Serve package assets (MudBlazor, the framework's scripts) when running from build output in any environment,
// as `dotnet run` and browser tests do; a published app has its assets copied and this does nothing.
builder.WebHost.UseStaticWebAssets();

services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section).ValidateOnStart();
services.AddSingleton<AppPaths>();
services.AddSingleton(TimeProvider.System);

services.AddDbContextFactory<MonitorDbContext>((sp, options) =>
    options.UseSqlite($"Data Source={Path.Combine(sp.GetRequiredService<AppPaths>().DataDirectory, "monitor.db")}"));
services.AddSingleton<CatalogService>();
services.AddSingleton<AuditLog>();
services.AddSingleton<DashboardCatalog>();
services.AddObservations();
services.AddHostedService<StartupInitializer>();

services.AddMonitorSecurity();
services.AddUserAdministration();
services.AddApiKeyAdministration();
services.AddMonitorHealth();
services.AddProblemDetails();
services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

services.AddSignalR().AddJsonProtocol(options => ConfigureJson(options.PayloadSerializerOptions));
services.AddSingleton<SubscriptionRegistry>();
services.AddHostedService<HubForwarder>();

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

app.UseExceptionHandler();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseStatusCodePages();
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapMonitorHealth();
app.MapCatalogApi();
app.MapObservationsApi();
app.MapAuditApi();
app.MapApiKeysApi();
app.MapHub<AlertsHub>(AlertsHub.Path);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

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
