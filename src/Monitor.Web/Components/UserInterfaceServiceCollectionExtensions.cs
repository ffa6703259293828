using Monitor.Web.Security;
using MudBlazor.Services;

namespace Monitor.Web.Components;

public static class UserInterfaceServiceCollectionExtensions
{
    /// <summary>The pages: interactive server components, MudBlazor and the UI's languages.</summary>
    public static IServiceCollection AddUserInterface(this IServiceCollection services)
    {
        services.AddLocalization();
        // The UI's languages: English now; adding a culture here and a Strings.<culture>.resx is all a translation needs
        // (right-to-left layout follows the culture).
        services.Configure<RequestLocalizationOptions>(options => options
            .SetDefaultCulture("en")
            .AddSupportedCultures("en")
            .AddSupportedUICultures("en"));
        services.AddMudServices();
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }

    /// <summary>The static assets (open to all, the sign-in page needs them) and the pages, for Viewers and above.</summary>
    public static IEndpointRouteBuilder MapUserInterface(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Policies.Viewer);
        return app;
    }
}
