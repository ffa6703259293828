namespace Monitor.Web.Audit;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<AuditLog>();
}
