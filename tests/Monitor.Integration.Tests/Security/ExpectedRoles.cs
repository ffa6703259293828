using Monitor.Web.Security;

namespace Monitor.Integration.Tests.Security;

/// <summary>
/// The least role each endpoint must require, written down by hand (null: anyone, signed in or not). The role matrix
/// checks the app against this table, and reports any endpoint the table does not list: a new endpoint gets its row
/// here, which is where a reviewer sees who may call it.
/// </summary>
public static class ExpectedRoles
{
    public static string Key(string method, string pattern) => $"{method} {pattern}";

    public static readonly IReadOnlyDictionary<string, Role?> ByEndpoint = new Dictionary<string, Role?>(StringComparer.Ordinal)
    {
        // Anyone
        ["GET /healthz"] = null,
        ["GET /account/login"] = null,
        ["POST /account/login"] = null,

        // Pages (a page's POST is its form handler; the same role as its GET)
        ["GET /"] = Role.Viewer,
        ["POST /"] = Role.Viewer,
        ["GET /dashboards/{Id}"] = Role.Viewer,
        ["POST /dashboards/{Id}"] = Role.Viewer,
        ["GET /sites"] = Role.Viewer,
        ["POST /sites"] = Role.Viewer,
        ["GET /sites/{Id}"] = Role.Viewer,
        ["POST /sites/{Id}"] = Role.Viewer,
        ["GET /alerts"] = Role.Viewer,
        ["POST /alerts"] = Role.Viewer,
        ["GET /rules"] = Role.Viewer,
        ["POST /rules"] = Role.Viewer,
        ["GET /not-found"] = Role.Viewer,
        ["POST /not-found"] = Role.Viewer,
        ["GET /account/access-denied"] = Role.Viewer,
        ["POST /account/access-denied"] = Role.Viewer,
        ["POST /account/logout"] = Role.Viewer,
        ["GET /intake"] = Role.Coordinator,
        ["POST /intake"] = Role.Coordinator,
        ["GET /report"] = Role.Reporter,
        ["POST /report"] = Role.Reporter,
        ["GET /report/daily"] = Role.Reporter,
        ["POST /report/daily"] = Role.Reporter,
        ["GET /import"] = Role.Reporter,
        ["POST /import"] = Role.Reporter,
        ["GET /admin/users"] = Role.Admin,
        ["POST /admin/users"] = Role.Admin,
        ["GET /admin/api-keys"] = Role.Admin,
        ["POST /admin/api-keys"] = Role.Admin,
        ["GET /admin/audit"] = Role.Admin,
        ["POST /admin/audit"] = Role.Admin,

        // The framework's endpoints behind the pages
        ["GET /_blazor"] = Role.Viewer,
        ["POST /_blazor/negotiate"] = Role.Viewer,
        ["POST /_blazor/disconnect/"] = Role.Viewer,
        ["GET /_blazor/initializers/"] = Role.Viewer,
        ["GET /_framework/opaque-redirect"] = Role.Viewer,

        // Live alerts
        ["GET /hubs/alerts"] = Role.Viewer,
        ["POST /hubs/alerts/negotiate"] = Role.Viewer,

        // Catalog
        ["GET /api/sites"] = Role.Viewer,
        ["GET /api/sites/{id}"] = Role.Viewer,
        ["GET /api/sites/{id}/latest"] = Role.Viewer,
        ["GET /api/indicators"] = Role.Viewer,

        // Observations
        ["GET /api/observations/"] = Role.Viewer,
        ["GET /api/observations/history"] = Role.Viewer,
        ["POST /api/observations/"] = Role.Reporter,
        ["POST /api/observations/corrections"] = Role.Reporter,
        ["GET /api/observations/conflicts"] = Role.Coordinator,
        ["POST /api/observations/conflicts/{id:long}/apply"] = Role.Coordinator,
        ["POST /api/observations/conflicts/{id:long}/discard"] = Role.Coordinator,
        ["GET /api/observations/dead-letters"] = Role.Admin,
        ["POST /api/observations/import"] = Role.Reporter,
        ["GET /api/observations/import/template"] = Role.Reporter,
        ["GET /api/observations/export"] = Role.Viewer,
        ["POST /api/ingest/kobo/{mapping}"] = Role.Reporter,

        // Alerting
        ["GET /api/alerts/"] = Role.Viewer,
        ["GET /api/alerts/{id:guid}/history"] = Role.Viewer,
        ["POST /api/alerts/{id:guid}/acknowledge"] = Role.Coordinator,
        ["GET /api/rules/"] = Role.Viewer,
        ["POST /api/rules/"] = Role.Coordinator,
        ["POST /api/rules/preview"] = Role.Coordinator,
        ["PUT /api/rules/{id}"] = Role.Coordinator,
        ["DELETE /api/rules/{id}"] = Role.Coordinator,
        ["GET /api/silences/"] = Role.Viewer,
        ["POST /api/silences/"] = Role.Coordinator,
        ["DELETE /api/silences/{id:guid}"] = Role.Coordinator,

        // Administration
        ["GET /api/users/"] = Role.Admin,
        ["POST /api/users/"] = Role.Admin,
        ["PUT /api/users/{id}"] = Role.Admin,
        ["POST /api/users/{id}/reset-password"] = Role.Admin,
        ["GET /api/keys/"] = Role.Admin,
        ["POST /api/keys/"] = Role.Admin,
        ["DELETE /api/keys/{id:guid}"] = Role.Admin,
        ["GET /api/audit/"] = Role.Admin,
        ["GET /api/audit/verify"] = Role.Admin,
    };
}
