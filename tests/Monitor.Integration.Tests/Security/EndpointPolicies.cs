using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;
using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Security;

public enum EndpointKind
{
    /// <summary>/api, /hubs, /_blazor: 401 and 403 as problem details.</summary>
    Machine,

    /// <summary>A Blazor page: the anonymous go to the login page, the forbidden to the access-denied page.</summary>
    Page,

    /// <summary>Anything else a browser posts to (sign-out).</summary>
    Other,
}

/// <summary>One request of the role matrix: what it calls and the least role the <see cref="ExpectedRoles"/> table gives it (null: anyone).</summary>
public sealed record EndpointCase(string Method, string Path, string Pattern, EndpointKind Kind, Role? Least)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Reads the app's own endpoint list and takes what each endpoint must allow from the <see cref="ExpectedRoles"/>
/// table, never from the endpoint's own metadata (a wrong policy would then test itself): an endpoint added tomorrow
/// without a row in the table, or without a policy at all, is reported.
/// </summary>
public static class EndpointPolicies
{
    /// <summary>The only routes anyone may reach without signing in (besides static assets).</summary>
    public static readonly IReadOnlySet<string> AnonymousAllowList = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/healthz",
        MonitorAuthentication.LoginPath,
    };

    /// <summary>
    /// Framework endpoints that carry no metadata of their own and are covered by the app's fallback policy (a
    /// signed-in Viewer): the development-time static-file fallback of MapStaticAssets.
    /// </summary>
    public static readonly IReadOnlySet<string> UnderFallbackPolicy = new HashSet<string>(StringComparer.Ordinal)
    {
        "{**path:file}",
    };

    public static (IReadOnlyList<EndpointCase> Cases, IReadOnlyList<string> Problems) Classify(IEnumerable<Endpoint> endpoints) =>
        Classify(endpoints, ExpectedRoles.ByEndpoint);

    public static (IReadOnlyList<EndpointCase> Cases, IReadOnlyList<string> Problems) Classify(
        IEnumerable<Endpoint> endpoints, IReadOnlyDictionary<string, Role?> expected)
    {
        var cases = new List<EndpointCase>();
        var problems = new List<string>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var metadata = endpoint.Metadata;
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (metadata.GetMetadata<StaticAssetDescriptor>() is not null)
            {
                if (metadata.GetMetadata<IAllowAnonymous>() is null) problems.Add($"static asset {pattern} is not anonymous");
                continue;
            }

            var path = SamplePath(endpoint.RoutePattern);
            var kind = MonitorAuthentication.IsMachineEndpoint(path) ? EndpointKind.Machine
                : metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null ? EndpointKind.Page
                : EndpointKind.Other;

            if (metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (!AnonymousAllowList.Contains(path))
                {
                    problems.Add($"{pattern} allows anonymous requests but is not on the anonymous allow-list");
                    continue;
                }
            }
            else
            {
                var authorize = metadata.GetOrderedMetadata<IAuthorizeData>();
                if (authorize.Count == 0 && !UnderFallbackPolicy.Contains(pattern))
                {
                    problems.Add($"{pattern} ({endpoint.DisplayName}) has no authorization metadata: give it RequireAuthorization(Policies.X) or [Authorize(Policy = Policies.X)]");
                    continue;
                }
            }

            foreach (var method in MethodsOf(endpoint, path))
            {
                var key = ExpectedRoles.Key(method, pattern);
                if (!expected.TryGetValue(key, out var least))
                {
                    problems.Add($"{key} is not in the role table: add [\"{key}\"] = Role.X (or null for anyone) to {nameof(ExpectedRoles)}.{nameof(ExpectedRoles.ByEndpoint)}");
                    continue;
                }
                listed.Add(key);
                cases.Add(new EndpointCase(method, path, pattern, kind, least));
            }
        }
        problems.AddRange(expected.Keys.Where(key => !listed.Contains(key)).Select(key => $"{key} is in the role table but the app has no such endpoint"));
        return (cases, problems);
    }

    private static IEnumerable<string> MethodsOf(RouteEndpoint endpoint, string path)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        if (methods is { Count: > 0 }) return methods.Where(m => m is not ("HEAD" or "OPTIONS"));
        // Hub and connection endpoints declare no methods: negotiate and disconnect are posted, the rest fetched.
        return path.EndsWith("/negotiate", StringComparison.Ordinal) || path.Contains("/disconnect", StringComparison.Ordinal) ? ["POST"] : ["GET"];
    }

    /// <summary>A concrete path for a route pattern: every parameter becomes a site id of the test scenario.</summary>
    private static string SamplePath(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "robots.txt",
            // A value that satisfies the route's constraints, so the request reaches authorization rather than a 404.
            RoutePatternParameterPart { ParameterPolicies: var policies } when policies.Any(p => p.Content == "guid") =>
                Guid.NewGuid().ToString(),
            RoutePatternParameterPart { ParameterPolicies: var policies } when policies.Any(p => p.Content is "int" or "long") => "424242",
            RoutePatternParameterPart => Fixtures.TestScenario.Mosul,
            _ => "",
        })));
        return "/" + string.Join("/", segments) + (pattern.RawText?.EndsWith('/') == true && pattern.PathSegments.Count > 0 ? "/" : "");
    }
}
