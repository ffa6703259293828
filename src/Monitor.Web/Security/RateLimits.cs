using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Monitor.Web.Audit;

namespace Monitor.Web.Security;

/// <summary>The <c>RateLimits</c> section.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public LoginRateLimit Login { get; set; } = new();
    public ObservationsRateLimit Observations { get; set; } = new();
    public ApiKeyMissesRateLimit ApiKeyMisses { get; set; } = new();
}

/// <summary>API keys of the issued shape that fail (unknown, revoked, expired) per client address and window; past it, 429.</summary>
public sealed class ApiKeyMissesRateLimit
{
    public int PermitLimit { get; set; } = 20;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Sign-in attempts (form posts) per client address and window: slows password guessing across accounts.</summary>
public sealed class LoginRateLimit
{
    public int PermitLimit { get; set; } = 10;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Observation batches per API key or user, as a token bucket: a burst of <see cref="TokenLimit"/> batches, refilled by
/// <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>.
/// </summary>
public sealed class ObservationsRateLimit
{
    public int TokenLimit { get; set; } = 100;
    public int TokensPerPeriod { get; set; } = 10;
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class ValidateRateLimitOptions : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.Login.PermitLimit < 1) failures.Add("RateLimits:Login:PermitLimit must be at least 1.");
        if (options.Login.Window <= TimeSpan.Zero) failures.Add("RateLimits:Login:Window must be positive.");
        if (options.Observations.TokenLimit < 1) failures.Add("RateLimits:Observations:TokenLimit must be at least 1.");
        if (options.Observations.TokensPerPeriod < 1) failures.Add("RateLimits:Observations:TokensPerPeriod must be at least 1.");
        if (options.Observations.ReplenishmentPeriod <= TimeSpan.Zero) failures.Add("RateLimits:Observations:ReplenishmentPeriod must be positive.");
        if (options.ApiKeyMisses.PermitLimit < 1) failures.Add("RateLimits:ApiKeyMisses:PermitLimit must be at least 1.");
        if (options.ApiKeyMisses.Window <= TimeSpan.Zero) failures.Add("RateLimits:ApiKeyMisses:Window must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class RateLimitPolicies
{
    public const string Login = "login";
    public const string Observations = "observations";

    public static IServiceCollection AddMonitorRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, ValidateRateLimitOptions>();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;

            options.AddPolicy(Login, context =>
            {
                // Only attempts count: showing the form is free. (Partitions are cached by key, so the two kinds of key
                // must never collide.)
                if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter("form");
                var limit = Settings(context).Login;
                return RateLimitPartition.GetFixedWindowLimiter("attempts from " + context.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0 });
            });
            options.AddPolicy(Observations, context =>
            {
                var limit = Settings(context).Observations;
                return RateLimitPartition.GetTokenBucketLimiter(AuditLog.ActorOf(context.User), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.TokenLimit,
                    TokensPerPeriod = limit.TokensPerPeriod,
                    ReplenishmentPeriod = limit.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    private static RateLimitOptions Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This limit protects the service; try again in {seconds} s.", seconds);
    }
}
