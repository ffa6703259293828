using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Layout;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;

namespace Monitor.Components.Tests.Intake;

/// <summary>The banner as the app shows it under InfluxDB (the outbox's state is set by hand here).</summary>
public sealed class StorageBannerTests : MonitorComponentTest
{
    protected override StorageOptions StorageSettings => new() { Provider = StorageProvider.InfluxDB };

    protected override OutboxOptions OutboxSettings => new() { MaxBacklog = 20_000 };

    private StorageStatus Status => Services.GetRequiredService<StorageStatus>();

    private void Queue(int observations)
    {
        var changes = Enumerable.Range(0, observations)
            .Select(i => ObservationChange.Record(new Observation("mosul", "fuel.stations_open_pct", Time.GetUtcNow().AddSeconds(-i), i % 100, null, null, null)))
            .ToArray();
        Services.GetRequiredService<PendingChanges>().Add(new IngestBatch(1_000 + observations, Guid.NewGuid(), Time.GetUtcNow(), "reporter@x", "api", changes));
    }

    [Fact]
    public void Says_since_when_InfluxDB_is_unreachable_and_how_much_waits_and_goes_away_when_it_answers()
    {
        Queue(12_400);
        var banner = Render<StorageBanner>();
        Assert.Empty(banner.FindAll("[data-storage-banner]"));

        Status.Unreachable("connection refused");
        banner.WaitForAssertion(() => Assert.Equal(
            "InfluxDB unreachable since 28 Jun 2014 20:00 UTC — 12,400 observations queued, nothing lost. They are written as soon as it answers.",
            banner.Find("[data-storage-banner=unreachable]").TextContent.Trim()));

        Services.GetRequiredService<PendingChanges>().Remove([1_000 + 12_400]);
        Status.Reachable();
        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-storage-banner]")));
    }

    [Fact]
    public void A_full_queue_says_that_new_submissions_are_refused()
    {
        Queue(20_000);
        Status.Unreachable("connection refused");

        var banner = Render<StorageBanner>();

        Assert.Contains("new submissions are refused", banner.Find("[data-storage-banner=full]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void While_the_queue_drains_after_an_outage_it_says_how_much_is_left()
    {
        Queue(3_000);
        var banner = Render<StorageBanner>();

        // Older than the lag warning: InfluxDB answers but has not caught up yet.
        Time.Advance(TimeSpan.FromMinutes(1));

        banner.WaitForAssertion(() => Assert.Contains("3,000 still to go", banner.Find("[data-storage-banner=catching]").TextContent, StringComparison.Ordinal));
    }
}
