using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Monitor.Web.Accounts;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Security.ApiKeys;

namespace Monitor.Web.Data;

/// <summary>
/// The embedded SQLite database: catalog, accounts (ASP.NET Core Identity), API keys and the audit trail.
/// Its schema changes only through migrations (<c>dotnet ef migrations add … --project src/Monitor.Web</c>).
/// </summary>
public sealed class MonitorDbContext(DbContextOptions<MonitorDbContext> options) : IdentityDbContext<MonitorUser>(options)
{
    public DbSet<SiteRow> Sites => Set<SiteRow>();
    public DbSet<IndicatorRow> Indicators => Set<IndicatorRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<AuditRow> AuditEntries => Set<AuditRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or sort DateTimeOffset text; stored as a sortable 64-bit number it can.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<SiteRow>(site =>
        {
            site.ToTable("sites");
            site.HasKey(s => s.Id);
            site.HasIndex(s => s.Region);
        });
        modelBuilder.Entity<IndicatorRow>(indicator =>
        {
            indicator.ToTable("indicators");
            indicator.HasKey(i => i.Id);
            indicator.Property(i => i.States).HasConversion(ListConversion.Converter, ListConversion.Comparer);
            indicator.Property(i => i.SiteKinds).HasConversion(ListConversion.Converter, ListConversion.Comparer);
        });
        modelBuilder.Entity<ApiKeyRow>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.HasIndex(k => k.Hash).IsUnique();
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Role).HasMaxLength(20);
            key.Property(k => k.Prefix).HasMaxLength(16);
        });
        modelBuilder.Entity<AuditRow>(audit =>
        {
            audit.ToTable("audit_entries");
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => a.Action);
            audit.HasIndex(a => a.Actor);
        });
    }
}
