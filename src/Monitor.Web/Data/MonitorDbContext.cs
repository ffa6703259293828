using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Monitor.Web.Accounts;
using Monitor.Web.Alerts;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Kobo;
using Monitor.Web.Security.ApiKeys;

namespace Monitor.Web.Data;

/// <summary>
/// The embedded SQLite database: catalog, accounts (ASP.NET Core Identity), API keys, the audit trail, and alerting
/// (rules, alerts with every change, silences, each person's alert preferences).
/// Its schema changes only through migrations (<c>dotnet ef migrations add … --project src/Monitor.Web</c>).
/// </summary>
public sealed class MonitorDbContext(DbContextOptions<MonitorDbContext> options) : IdentityDbContext<MonitorUser>(options)
{
    public DbSet<SiteRow> Sites => Set<SiteRow>();
    public DbSet<IndicatorRow> Indicators => Set<IndicatorRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<AuditRow> AuditEntries => Set<AuditRow>();
    public DbSet<AlertRuleRow> AlertRules => Set<AlertRuleRow>();
    public DbSet<AlertRow> Alerts => Set<AlertRow>();
    public DbSet<AlertChangeRow> AlertChanges => Set<AlertChangeRow>();
    public DbSet<AlertSeriesRow> AlertSeries => Set<AlertSeriesRow>();
    public DbSet<SilenceRow> Silences => Set<SilenceRow>();
    public DbSet<AlertPreferenceRow> AlertPreferences => Set<AlertPreferenceRow>();
    public DbSet<KoboReceiptRow> KoboReceipts => Set<KoboReceiptRow>();

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
            indicator.Property(i => i.States).HasConversion(ListConversion<string>.Converter, ListConversion<string>.Comparer);
            indicator.Property(i => i.SiteKinds).HasConversion(ListConversion<string>.Converter, ListConversion<string>.Comparer);
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
        modelBuilder.Entity<KoboReceiptRow>(receipt =>
        {
            receipt.ToTable("kobo_receipts");
            receipt.HasKey(r => r.Uuid);
            receipt.Property(r => r.Uuid).HasMaxLength(100);
            receipt.Property(r => r.Mapping).HasMaxLength(100);
        });
        modelBuilder.Entity<AuditRow>(audit =>
        {
            audit.ToTable("audit_entries");
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => a.Action);
            audit.HasIndex(a => a.Actor);
        });
        modelBuilder.Entity<AlertRuleRow>(rule =>
        {
            rule.ToTable("alert_rules");
            rule.HasKey(r => r.Id);
            rule.Property(r => r.States).HasConversion(ListConversion<string>.Converter, ListConversion<string>.Comparer);
        });
        modelBuilder.Entity<AlertRow>(alert =>
        {
            alert.ToTable("alerts");
            alert.HasKey(a => a.Id);
            alert.HasIndex(a => a.Status);
            alert.HasIndex(a => a.StartedAt);
            alert.HasIndex(a => new { a.RuleId, a.SiteId });
        });
        modelBuilder.Entity<AlertChangeRow>(change =>
        {
            change.ToTable("alert_changes");
            // AUTOINCREMENT: a sequence is never reused, even after the newest change is deleted.
            change.HasKey(c => c.Sequence);
            change.Property(c => c.Sequence).ValueGeneratedOnAdd().HasAnnotation("Sqlite:Autoincrement", true);
            change.HasIndex(c => c.AlertId);
        });
        modelBuilder.Entity<AlertSeriesRow>(series =>
        {
            series.ToTable("alert_series");
            series.HasKey(s => new { s.RuleId, s.SiteId });
            series.Property(s => s.Flips).HasConversion(ListConversion<DateTimeOffset>.Converter, ListConversion<DateTimeOffset>.Comparer);
        });
        modelBuilder.Entity<SilenceRow>(silence =>
        {
            silence.ToTable("silences");
            silence.HasKey(s => s.Id);
            silence.HasIndex(s => s.EndedAt);
        });
        modelBuilder.Entity<AlertPreferenceRow>(preference =>
        {
            preference.ToTable("alert_preferences");
            preference.HasKey(p => p.UserId);
            preference.Property(p => p.Regions).HasConversion(ListConversion<string>.Converter, ListConversion<string>.Comparer);
            preference.Property(p => p.SiteIds).HasConversion(ListConversion<string>.Converter, ListConversion<string>.Comparer);
        });
    }
}
