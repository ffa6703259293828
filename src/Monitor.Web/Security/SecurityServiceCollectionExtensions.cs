using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Monitor.Web.Accounts;
using Monitor.Web.Data;

namespace Monitor.Web.Security;

public static class SecurityServiceCollectionExtensions
{
    public const int MinimumPasswordLength = 12;
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static IServiceCollection AddMonitorSecurity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddAccessTokenRedaction();
        services.AddScoped(sp => ClientAddress.Of(sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddSingleton<IValidateOptions<AuthOptions>, ValidateAuthOptions>();
        services.AddOptions<BrowserSessionOptions>().BindConfiguration(BrowserSessionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrowserSessionOptions>, ValidateBrowserSessionOptions>();

        services.AddIdentityCore<MonitorUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length is what makes a password strong; composition rules only make people write them down (NIST SP 800-63B).
                options.Password.RequiredLength = MinimumPasswordLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = MaxFailedLogins;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MonitorDbContext>()
            .AddSignInManager<MonitorSignInManager>()
            .AddDefaultTokenProviders();
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<BrowserSessionOptions>>((stamp, sessions) => stamp.ValidationInterval = sessions.Value.CheckInterval);

        services.AddAuthentication(MonitorAuthentication.Scheme)
            .AddPolicyScheme(MonitorAuthentication.Scheme, "Login cookie or API key",
                options => options.ForwardDefaultSelector = MonitorAuthentication.SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            // All of Identity's cookies, though only the application cookie is used: its session checks sign out of the others.
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(ConfigureLoginCookie));
        services.AddSingleton<SessionTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<BrowserSessionOptions>, SessionTicketStore>((cookie, sessions, store) =>
            {
                cookie.ExpireTimeSpan = sessions.Value.IdleTimeout;
                cookie.SessionStore = store;
            });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var role in Enum.GetValues<Role>())
        {
            // No schemes named here: the default (Monitor) scheme picks the cookie or the key, and challenges the same way.
            authorization.AddPolicy(role.ToString(), policy => policy.RequireAuthenticatedUser().RequireRole(Policies.RolesAtLeast(role)));
        }
        // Defence in depth: an endpoint someone forgets to protect still needs a signed-in Viewer. The role-matrix tests
        // fail on such an endpoint all the same, so the fallback is never what protects a feature.
        authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
            .RequireRole(Policies.RolesAtLeast(Role.Viewer)).Build());

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingAuthenticationStateProvider>();
        return services;
    }

    private static void ConfigureLoginCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "Monitor.Session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.SlidingExpiration = true;
        options.LoginPath = MonitorAuthentication.LoginPath;
        options.LogoutPath = MonitorAuthentication.LogoutPath;
        options.AccessDeniedPath = MonitorAuthentication.AccessDeniedPath;
        options.ReturnUrlParameter = MonitorAuthentication.ReturnUrlParameter;

        options.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
        var redirectToLogin = options.Events.OnRedirectToLogin;
        options.Events.OnRedirectToLogin = context => MonitorAuthentication.IsMachineEndpoint(context.Request.Path)
            ? MonitorAuthentication.WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                $"Sign in, or send a valid API key in the {ApiKeyAuthenticationHandler.HeaderName} header.")
            : redirectToLogin(context);
        var redirectToAccessDenied = options.Events.OnRedirectToAccessDenied;
        options.Events.OnRedirectToAccessDenied = context => MonitorAuthentication.IsMachineEndpoint(context.Request.Path)
            ? MonitorAuthentication.WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                "Your role does not allow this action.")
            : redirectToAccessDenied(context);
    }
}
