using Microsoft.EntityFrameworkCore;

namespace Monitor.Web.Catalog;

/// <summary>The embedded SQLite database of the catalog (and, in later features, rules, alerts and users).</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<SiteRow> Sites => Set<SiteRow>();
    public DbSet<IndicatorRow> Indicators => Set<IndicatorRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
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
    }
}

public sealed class SiteRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string Region { get; set; }
    public required string Country { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
}

public sealed class IndicatorRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string? Unit { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public List<string> States { get; set; } = [];
    public List<string> SiteKinds { get; set; } = [];
    public TimeSpan Cadence { get; set; }
}
