using Monitor.Domain.Catalog;
using static Monitor.Domain.Tests.TestCatalog;

namespace Monitor.Domain.Tests.Catalog;

public sealed class CatalogSnapshotTests
{
    private readonly CatalogSnapshot _catalog = Create();

    [Fact]
    public void Sites_and_indicators_are_found_by_id()
    {
        Assert.Same(MosulSite, _catalog.FindSite(Mosul));
        Assert.Same(RefineryStatusIndicator, _catalog.FindIndicator(RefineryStatus));
    }

    [Fact]
    public void Ids_in_any_string_instance_find_the_same_entry_from_many_threads_at_once()
    {
        // Lookups remember ids by string instance: other instances of the same text, and of other text, must not be confused.
        var ids = Enumerable.Range(0, 400).Select(i => (i % 4) switch { 0 => Mosul, 1 => Kirkuk, 2 => "atlantis", _ => Baiji })
            .Select(id => new string(id.AsSpan())).ToArray();
        Site? Expected(string id) => id == Mosul ? MosulSite : id == Kirkuk ? KirkukSite : id == Baiji ? BaijiSite : null;

        Parallel.For(0, 8, _ =>
        {
            foreach (var id in ids)
            {
                Assert.Same(Expected(id), _catalog.FindSite(id));
                Assert.Same(Expected(id), _catalog.FindSite(new string(id.AsSpan())));
            }
        });
        Assert.Same(FuelStationsOpenIndicator, _catalog.FindIndicator(new string(FuelStationsOpen.AsSpan())));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(150)]
    public void A_batch_of_many_sites_finds_each_of_its_ids_once_and_then_by_reference(int sites)
    {
        var many = new CatalogSnapshot(
            Enumerable.Range(0, sites).Select(i => new Site($"site-{i:000}", $"Site {i}", "city", "Nineveh", "Iraq", 36, 43)), []);
        // As a batch names them: one instance per id, each recurring after all the others.
        var ids = Enumerable.Range(0, sites).Select(i => new string($"site-{i:000}".AsSpan())).ToArray();
        foreach (var id in ids) Assert.NotNull(many.FindSite(id));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 3; round++)
        {
            foreach (var id in ids) Assert.Same(many.SitesById[id], many.FindSite(id));
        }

        // A lookup that missed made an entry of 40 bytes. Five ids may share a set of four by chance (a few times in a
        // thousand runs) and then miss each round; with one entry per set, a third of these lookups missed.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1024);
    }

    [Theory]
    [InlineData("atlantis")]
    [InlineData("MOSUL")]
    [InlineData("mosul ")]
    [InlineData("")]
    public void Unknown_or_differently_cased_site_id_finds_nothing(string id)
    {
        Assert.Null(_catalog.FindSite(id));
    }

    [Theory]
    [InlineData("fuel.unicorns")]
    [InlineData("Refinery.Status")]
    public void Unknown_or_differently_cased_indicator_id_finds_nothing(string id)
    {
        Assert.Null(_catalog.FindIndicator(id));
    }

    [Fact]
    public void Sites_are_listed_by_name_and_indicators_by_id()
    {
        Assert.Equal(["Al Qaim border crossing", "Baiji refinery", "Kirkuk", "Mosul"], _catalog.Sites.Select(s => s.Name));
        Assert.Equal([CrossingStatus, QueueLength, FuelStationsOpen, PowerHours, RefineryStatus], _catalog.Indicators.Select(i => i.Id));
    }

    [Fact]
    public void Indicator_applies_only_to_its_site_kinds()
    {
        Assert.True(FuelStationsOpenIndicator.AppliesTo(MosulSite));
        Assert.False(FuelStationsOpenIndicator.AppliesTo(BaijiSite));
        Assert.True(PowerHoursIndicator.AppliesTo(BaijiSite));
        Assert.False(CrossingStatusIndicator.AppliesTo(MosulSite));
    }

    [Fact]
    public void Site_kind_must_match_exactly()
    {
        Assert.False(FuelStationsOpenIndicator.AppliesTo(MosulSite with { Kind = "City" }));
    }

    [Fact]
    public void Indicators_for_a_site_are_those_that_apply_to_its_kind()
    {
        Assert.Equal([QueueLength, FuelStationsOpen, PowerHours], _catalog.IndicatorsFor(MosulSite).Select(i => i.Id));
        Assert.Equal([PowerHours, RefineryStatus], _catalog.IndicatorsFor(BaijiSite).Select(i => i.Id));
        Assert.Equal([CrossingStatus], _catalog.IndicatorsFor(AlQaimSite).Select(i => i.Id));
    }

    [Fact]
    public void Site_of_a_kind_no_indicator_covers_has_no_indicators()
    {
        Assert.Empty(_catalog.IndicatorsFor(new Site("haditha-dam", "Haditha dam", "dam", "Anbar", "Iraq", 34.2, 42.35)));
    }

    [Fact]
    public void Empty_catalog_finds_nothing()
    {
        var empty = new CatalogSnapshot([], []);

        Assert.Empty(empty.Sites);
        Assert.Null(empty.FindSite(Mosul));
        Assert.Null(empty.FindIndicator(FuelStationsOpen));
    }
}
