using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations.Outbox;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// What the write path promises whatever the store, through the real app and its API: history is never silently
/// replaced, an identical re-send is harmless, corrections and voids show in every read while every version stays
/// readable, and an accepted reading is readable at once — under InfluxDB also while it still waits in the outbox. The
/// outbox drain is held so tests decide when it runs (<see cref="DrainAsync"/>); every read is checked both before
/// and after it.
/// </summary>
public abstract class IngestContract : IAsyncLifetime
{
    private MonitorAppFactory _app = null!;

    protected MonitorAppFactory App => _app;

    private HttpClient? _reporter;

    /// <summary>A Reporter key's client; the app starts on first use, so a test may change <c>App.Settings</c> before it.</summary>
    protected HttpClient Reporter => _reporter ??= _app.CreateClient(ReporterKey);

    /// <summary>The app on this store, with <paramref name="holdDrain"/> applied to its services.</summary>
    protected abstract MonitorAppFactory CreateApp(Action<IServiceCollection> holdDrain);

    /// <summary>How many readings of this series lie in the store itself (not the outbox) in [from, to].</summary>
    protected abstract Task<int> StoredCountAsync(string siteId, string indicatorId, DateTimeOffset from, DateTimeOffset to);

    public Task InitializeAsync()
    {
        _app = CreateApp(HoldDrain);
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        _reporter?.Dispose();
        _app.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Writes everything queued on to the store, as the drain does in the background.</summary>
    protected async Task DrainAsync()
    {
        var pending = App.Services.GetRequiredService<PendingChanges>();
        var drain = App.Services.GetRequiredService<OutboxDrain>();
        for (var round = 0; pending.Count > 0; round++)
        {
            Assert.True(round < 1_000, "The outbox did not drain.");
            await drain.DrainOnceAsync(CancellationToken.None);
        }
    }

    /// <summary>Leaves the drain to the test (<see cref="DrainAsync"/>) instead of the background.</summary>
    protected static void HoldDrain(IServiceCollection services)
    {
        foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OutboxDrain)).ToArray())
        {
            services.Remove(hosted);
        }
        services.AddSingleton<OutboxDrain>();
    }

    private static object Fuel(string siteId, DateTimeOffset timestamp, double value, string? source = "radio", string? note = null) =>
        new { siteId, indicatorId = FuelStationsOpen, value, timestamp, source, note };

    /// <summary>Runs the checks once with the batch still queued (under InfluxDB) and once after the drain.</summary>
    private async Task BeforeAndAfterDrainAsync(Func<Task> checks)
    {
        await checks();
        await DrainAsync();
        await checks();
    }

    [Fact]
    public async Task A_different_reading_at_a_recorded_time_refuses_the_batch_with_409_and_stores_nothing_of_it()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(Fuel(Mosul, day, 12.5))).AssertAcceptedAsync(1);

        using var refused = await Reporter.PostObservationsAsync(Fuel(Kirkuk, day, 50), Fuel(Mosul, day, 100, "someone else"));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        var message = Assert.Single(problem["errors"]!["[1]"]!.AsArray())!.GetValue<string>();
        Assert.Contains("12.5", message, StringComparison.Ordinal);
        Assert.Contains("/api/observations/corrections", message, StringComparison.Ordinal);
        Assert.Equal(["[1]"], problem["errors"]!.AsObject().Select(e => e.Key));
        await BeforeAndAfterDrainAsync(async () =>
        {
            Assert.Equal([12.5], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
            Assert.Empty(await Reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day));
        });
    }

    [Fact]
    public async Task A_reading_still_queued_counts_as_recorded_for_the_conflict_check()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(Fuel(Mosul, day, 30))).AssertAcceptedAsync(1);

        using var refused = await Reporter.PostObservationsAsync(Fuel(Mosul, day, 31));

        await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        await BeforeAndAfterDrainAsync(async () =>
            Assert.Equal([30], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value)));
    }

    [Fact]
    public async Task Readings_loaded_out_of_order_are_guarded_at_every_recorded_time_once_written()
    {
        // Later hours first, as concurrent clients loading history may commit them: each written on before the next.
        var day = NewWindow();
        foreach (var hour in new[] { 5, 1, 3 })
        {
            await (await Reporter.PostObservationsAsync(Fuel(Mosul, day.AddHours(hour), hour), Fuel(Mosul, day.AddHours(hour + 0.5), hour + 0.5)))
                .AssertAcceptedAsync(2);
            await DrainAsync();
        }

        foreach (var hour in new[] { 1, 1.5, 3, 3.5, 5, 5.5 })
        {
            using var refused = await Reporter.PostObservationsAsync(Fuel(Mosul, day.AddHours(hour), 99));
            await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        }
        await (await Reporter.PostObservationsAsync(Fuel(Mosul, day.AddHours(2), 2), Fuel(Mosul, day.AddHours(4), 4))).AssertAcceptedAsync(2);
        await BeforeAndAfterDrainAsync(async () => Assert.Equal([1, 1.5, 2, 3, 3.5, 4, 5, 5.5],
            (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value)));
    }

    [Fact]
    public async Task The_same_reading_sent_again_is_accepted_and_changes_nothing()
    {
        var day = NewWindow();
        var reading = Fuel(Mosul, day, 40, "field team 3", "queue of 40 cars");
        var first = await (await Reporter.PostObservationsAsync(reading)).AcceptedSequenceAsync();

        using var again = await Reporter.PostObservationsAsync(reading, Fuel(Mosul, day.AddHours(1), 41));
        await DrainAsync();
        using var third = await Reporter.PostObservationsAsync(reading);

        var body = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(2, body["accepted"]!.GetValue<int>());
        Assert.Equal(1, body["unchanged"]!.GetValue<int>());
        Assert.True(body["sequence"]!.GetValue<long>() > first);
        var unchanged = JsonNode.Parse(await third.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        Assert.Equal(1, unchanged["unchanged"]!.GetValue<int>());
        Assert.Null(unchanged["sequence"]);
        await BeforeAndAfterDrainAsync(async () =>
        {
            Assert.Equal([40, 41], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
            var version = Assert.Single(await Reporter.GetHistoryAsync(Mosul, FuelStationsOpen, day));
            Assert.Equal(first, version.Sequence);
        });
    }

    [Fact]
    public async Task Concurrent_batches_that_disagree_about_one_reading_store_exactly_one_of_them_whole()
    {
        // Sent together, these are committed together (group commit): each must still be guarded against the others.
        var day = NewWindow();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await Reporter.PostObservationsAsync(Fuel(Mosul, day, i), Fuel(Kirkuk, day.AddMinutes(i), i));
            return (Value: i, response.StatusCode);
        }));

        var accepted = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.All(answers.Where(a => a != accepted), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        await BeforeAndAfterDrainAsync(async () =>
        {
            Assert.Equal([accepted.Value], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
            Assert.Equal([accepted.Value], (await Reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Select(p => p.Value));
        });
    }

    [Fact]
    public async Task Concurrent_batches_are_all_accepted_each_under_its_own_sequence()
    {
        var day = NewWindow();
        var sequences = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
            await (await Reporter.PostObservationsAsync(Fuel(Rawa, day.AddMinutes(i), i))).AcceptedSequenceAsync()));

        Assert.Equal(sequences.Length, sequences.Distinct().Count());
        await BeforeAndAfterDrainAsync(async () =>
            Assert.Equal(Enumerable.Range(0, 30).Select(i => (double?)i), (await Reporter.GetDayAsync(Rawa, FuelStationsOpen, day)).Select(p => p.Value)));
    }

    [Fact]
    public async Task Sequences_of_accepted_batches_strictly_increase()
    {
        var day = NewWindow();
        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sequences.Add(await (await Reporter.PostObservationsAsync(Fuel(Rawa, day.AddHours(i), i))).AcceptedSequenceAsync());
        }

        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public async Task A_correction_shows_in_the_series_and_latest_and_history_keeps_every_version()
    {
        var day = NewWindow();
        var original = await (await Reporter.PostObservationsAsync(Fuel(TalAfar, day, 10, "radio", "first count"))).AcceptedSequenceAsync();

        var correction = await (await Reporter.PostCorrectionAsync(new
        {
            siteId = TalAfar, indicatorId = FuelStationsOpen, timestamp = day, value = 12, reason = "typo: 12, not 10",
        })).AcceptedSequenceAsync();

        await BeforeAndAfterDrainAsync(async () =>
        {
            var point = Assert.Single(await Reporter.GetDayAsync(TalAfar, FuelStationsOpen, day));
            Assert.Equal((12, "radio", "first count"), (point.Value!.Value, point.Source, point.Note));
            var latest = Assert.Single(await Reporter.GetLatestAsync(TalAfar), o => o.IndicatorId == FuelStationsOpen);
            Assert.Equal((day, 12d), (latest.Timestamp, latest.Value!.Value));

            var history = await Reporter.GetHistoryAsync(TalAfar, FuelStationsOpen, day);
            Assert.Equal([(10d, original, (string?)null, false), (12d, correction, "typo: 12, not 10", false)],
                history.Select(v => (v.Value!.Value, v.Sequence, v.Reason, v.Voided)));
            Assert.All(history, v => Assert.Equal("key:test reporter", v.RecordedBy));
            Assert.All(history, v => Assert.NotNull(v.RecordedAt));
        });
    }

    [Fact]
    public async Task A_second_correction_keeps_the_reason_of_the_first_in_the_history()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(Fuel(Rawa, day, 10))).AssertAcceptedAsync(1);

        foreach (var (value, reason) in new[] { (11, "first fix"), (12, "second fix") })
        {
            await (await Reporter.PostCorrectionAsync(new { siteId = Rawa, indicatorId = FuelStationsOpen, timestamp = day, value, reason }))
                .AcceptedSequenceAsync();
        }

        await BeforeAndAfterDrainAsync(async () => Assert.Equal(
            [(10d, (string?)null), (11d, "first fix"), (12d, "second fix")],
            (await Reporter.GetHistoryAsync(Rawa, FuelStationsOpen, day)).Select(v => (v.Value!.Value, v.Reason))));
    }

    [Fact]
    public async Task A_voided_reading_disappears_from_reads_and_its_history_keeps_it()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(Fuel(Kirkuk, day, 20), Fuel(Kirkuk, day.AddHours(5), 25))).AssertAcceptedAsync(2);

        await (await Reporter.PostCorrectionAsync(new
        {
            siteId = Kirkuk, indicatorId = FuelStationsOpen, timestamp = day.AddHours(5), @void = true, reason = "reported for the wrong city",
        })).AcceptedSequenceAsync();

        await BeforeAndAfterDrainAsync(async () =>
        {
            Assert.Equal([20], (await Reporter.GetDayAsync(Kirkuk, FuelStationsOpen, day)).Select(p => p.Value));
            var latest = Assert.Single(await Reporter.GetLatestAsync(Kirkuk), o => o.IndicatorId == FuelStationsOpen);
            Assert.Equal(day, latest.Timestamp);
            var history = await Reporter.GetHistoryAsync(Kirkuk, FuelStationsOpen, day.AddHours(5));
            Assert.Equal([(25d, false, (string?)null), (25d, true, "reported for the wrong city")],
                history.Select(v => (v.Value!.Value, v.Voided, v.Reason)));
        });
    }

    [Fact]
    public async Task A_voided_time_may_be_reported_afresh()
    {
        var day = NewWindow();
        await (await Reporter.PostObservationsAsync(Fuel(Rawa, day, 5))).AssertAcceptedAsync(1);
        await (await Reporter.PostCorrectionAsync(new { siteId = Rawa, indicatorId = FuelStationsOpen, timestamp = day, @void = true, reason = "duplicate" }))
            .AcceptedSequenceAsync();

        await (await Reporter.PostObservationsAsync(Fuel(Rawa, day, 7))).AssertAcceptedAsync(1);

        await BeforeAndAfterDrainAsync(async () =>
        {
            Assert.Equal([7], (await Reporter.GetDayAsync(Rawa, FuelStationsOpen, day)).Select(p => p.Value));
            Assert.Equal([(5d, false), (5d, true), (7d, false)],
                (await Reporter.GetHistoryAsync(Rawa, FuelStationsOpen, day)).Select(v => (v.Value!.Value, v.Voided)));
        });
    }

    [Fact]
    public async Task Correcting_a_reading_that_does_not_exist_is_404_and_an_incomplete_correction_400_naming_the_fields()
    {
        var day = NewWindow();

        using var missing = await Reporter.PostCorrectionAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, timestamp = day, value = 1, reason = "x" });
        using var incomplete = await Reporter.PostCorrectionAsync(new { siteId = Mosul, indicatorId = FuelStationsOpen, value = 101 });

        var notFound = await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.NotNull(notFound["errors"]!["timestamp"]);
        var errors = await incomplete.AssertValidationProblemAsync();
        Assert.Equal(["reason", "timestamp", "value"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_accepted_reading_is_readable_at_once_also_while_queued()
    {
        var day = NewWindow();

        await (await Reporter.PostObservationsAsync(Fuel(Mosul, day, 66, "radio", "seen at noon"))).AssertAcceptedAsync(1);

        Assert.Equal([66], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
        Assert.Contains(await Reporter.GetLatestAsync(Mosul), o => o.Timestamp == day && o.Value == 66);
        await AssertQueuedStateAsync(Mosul, FuelStationsOpen, day, expectedInStore: !Queues);

        await DrainAsync();

        await AssertQueuedStateAsync(Mosul, FuelStationsOpen, day, expectedInStore: true);
        Assert.Equal([66], (await Reporter.GetDayAsync(Mosul, FuelStationsOpen, day)).Select(p => p.Value));
    }

    /// <summary>Whether this store queues writes in an outbox before they reach it.</summary>
    protected abstract bool Queues { get; }

    private async Task AssertQueuedStateAsync(string siteId, string indicatorId, DateTimeOffset at, bool expectedInStore) =>
        Assert.Equal(expectedInStore ? 1 : 0, await StoredCountAsync(siteId, indicatorId, at, at));
}
