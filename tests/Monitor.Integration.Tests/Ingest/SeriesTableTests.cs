using Monitor.Domain.Observations;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The series table's cache by string instance must never answer differently from the table itself.</summary>
public sealed class SeriesTableTests
{
    // Built at run time, so each call gives another instance of the same text.
    private static string Copy(string text) => new(text.AsSpan());

    [Fact]
    public void Equal_ids_in_other_string_instances_find_the_same_series()
    {
        var table = new SeriesTable<object>();
        var mosul = table.Add(Copy("mosul"), Copy("fuel"), new object());

        Assert.Same(mosul, table.Find(Copy("mosul"), Copy("fuel")));
        Assert.Same(mosul, table.Find(Copy("mosul"), Copy("fuel")));
        Assert.Null(table.Find(Copy("mosul"), Copy("fuel.price")));
        Assert.Null(table.Find(Copy("kirkuk"), Copy("fuel")));
    }

    [Fact]
    public void A_removed_series_is_not_found_through_the_instances_that_found_it_before()
    {
        var table = new SeriesTable<object>();
        var (site, indicator) = (Copy("mosul"), Copy("fuel"));
        table.Add(site, indicator, new object());
        Assert.NotNull(table.Find(site, indicator));

        table.Remove(new SeriesKey(Copy("mosul"), Copy("fuel")));

        Assert.Null(table.Find(site, indicator));
        var again = table.Add(Copy("mosul"), Copy("fuel"), new object());
        Assert.Same(again, table.Find(site, indicator));
    }

    [Fact]
    public void Many_series_sharing_cache_slots_each_find_their_own()
    {
        var table = new SeriesTable<string>();
        var sites = Enumerable.Range(0, 2_000).Select(i => $"site-{i}").ToArray();
        foreach (var site in sites) table.Add(site, "fuel", site);

        Assert.All(sites, site => Assert.Equal(site, table.Find(site, "fuel")));
        Assert.All(sites, site => Assert.Equal(site, table.Find(Copy(site), "fuel")));
        Assert.Equal(2_000, table.All.Count);
    }
}
