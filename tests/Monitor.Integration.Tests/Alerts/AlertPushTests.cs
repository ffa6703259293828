using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>The app on real Kestrel with a sweep fast enough for pending periods measured in seconds.</summary>
public sealed class AlertingAppFactory : IDisposable
{
    public KestrelMonitorAppFactory App { get; } = new()
    {
        Settings = { ["Alerts:SweepInterval"] = "00:00:00.1", ["Alerts:ResumeLimit"] = "100" },
    };

    public void Dispose() => App.Dispose();
}

/// <summary>
/// Alerting over HTTP and real SignalR WebSocket clients. Each test makes rules of its own, scoped to the sites it posts
/// to, and deletes them at the end; non-receipt is shown by order (an unwanted change first, a wanted marker after it).
/// </summary>
public sealed class AlertPushTests(AlertingAppFactory fixture) : IClassFixture<AlertingAppFactory>, IAsyncLifetime
{
    private readonly KestrelMonitorAppFactory _app = fixture.App;
    private readonly HttpClient _reporter = fixture.App.CreateClient(ReporterKey);
    private readonly HttpClient _coordinator = fixture.App.CreateClient(CoordinatorKey);
    private readonly HttpClient _viewer = fixture.App.CreateClient(ViewerKey);
    private readonly List<string> _rules = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in _rules) (await _coordinator.DeleteAsync($"/api/rules/{id}")).Dispose();
        _reporter.Dispose();
        _coordinator.Dispose();
        _viewer.Dispose();
    }

    private async Task<string> RuleAsync(object rule)
    {
        using var response = await _coordinator.PostAsJsonAsync("/api/rules", rule, MonitorApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        _rules.Add(id);
        return id;
    }

    private Task<string> BelowAsync(string siteId, double threshold, string severity = "critical", string? forPeriod = null, double? clear = null) =>
        RuleAsync(new
        {
            name = $"Fuel below {threshold} at {siteId}", indicatorId = FuelStationsOpen, siteId, @operator = "below", threshold,
            clearThreshold = clear, @for = forPeriod, severity,
        });

    private async Task PostAsync(string siteId, double value, DateTimeOffset at) =>
        await (await _reporter.PostObservationsAsync(new { siteId, indicatorId = FuelStationsOpen, value, timestamp = at })).AssertAcceptedAsync(1);

    /// <summary>
    /// A normal reading first, so that a rule made next starts from a clear series, whatever earlier tests left there
    /// (a rule raises an alert at once when the latest reading already breaches it).
    /// </summary>
    private async Task<DateTimeOffset> ClearAsync(string siteId, DateTimeOffset? at = null)
    {
        var when = at ?? NewWindow();
        await PostAsync(siteId, 90, when);
        return when;
    }

    private static Func<JsonElement, bool> Fired(string ruleId, DateTimeOffset startedAt) =>
        a => a.Is(ruleId, "firing") && a.GetProperty("startedAt").GetDateTimeOffset() == startedAt;

    [Fact]
    public async Task A_breaching_reading_is_pushed_as_AlertChanged_with_the_documented_fields_within_a_second()
    {
        var at = (await ClearAsync(Kirkuk)).AddHours(1);
        var rule = await BelowAsync(Kirkuk, 30);
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        var clock = Stopwatch.StartNew();

        await PostAsync(Kirkuk, 12.5, at);
        var alert = (await client.UntilAsync(Fired(rule, at)))[^1];

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Took {clock.Elapsed.TotalMilliseconds} ms.");
        Assert.Equal(Kirkuk, alert.Str("siteId"));
        Assert.Equal(KirkukRegion, alert.Str("region"));
        Assert.Equal(FuelStationsOpen, alert.Str("indicatorId"));
        Assert.Equal("critical", alert.Str("severity"));
        Assert.Equal($"Fuel below 30 at {Kirkuk}", alert.Str("ruleName"));
        Assert.Equal(12.5, alert.GetProperty("value").GetDouble());
        Assert.Equal(at, alert.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(at, alert.GetProperty("firedAt").GetDateTimeOffset());
        Assert.False(alert.GetProperty("flapping").GetBoolean());
        Assert.False(alert.GetProperty("silenced").GetBoolean());
        Assert.Contains("12.5 %", alert.Str("message"), StringComparison.Ordinal);
        Assert.True(alert.Sequence() > 0);
        Assert.False(alert.TryGetProperty("resolvedAt", out _));

        // A reading back above the threshold resolves it: the same alert, a later sequence.
        await PostAsync(Kirkuk, 60, at.AddHours(1));
        var resolved = (await client.UntilAsync(a => a.Is(rule, "resolved")))[^1];
        Assert.Equal(alert.Str("id"), resolved.Str("id"));
        Assert.True(resolved.Sequence() > alert.Sequence());
        Assert.Equal(at.AddHours(1), resolved.GetProperty("resolvedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_pending_alert_fires_when_its_period_passes_without_a_new_reading()
    {
        // Rawa is this test's alone: its readings are stamped now, later than every other test's.
        await ClearAsync(Rawa, DateTimeOffset.UtcNow.AddSeconds(-1));
        var rule = await BelowAsync(Rawa, 30, forPeriod: "00:00:01.5");
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        // Stored timestamps keep milliseconds.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-0.5).ToUnixTimeMilliseconds());

        await PostAsync(Rawa, 10, at);
        var pending = (await client.UntilAsync(a => a.Str("ruleId") == rule))[^1];
        var fired = (await client.UntilAsync(a => a.Is(rule, "firing")))[^1];

        Assert.Equal("pending", pending.Str("status"));
        Assert.False(pending.TryGetProperty("firedAt", out _));
        Assert.Equal(pending.Str("id"), fired.Str("id"));
        Assert.Equal(at.AddSeconds(1.5), fired.GetProperty("firedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_client_for_Anbar_never_sees_Ninawa_and_minSeverity_filters_on_the_server()
    {
        var day = await ClearAsync(Mosul);
        await ClearAsync(Rawa, DateTimeOffset.UtcNow.AddSeconds(-1));
        await (await _reporter.PostObservationsAsync(new { siteId = AlQaim, indicatorId = CrossingStatus, state = "open", timestamp = day })).AssertAcceptedAsync(1);
        var ninawa = await BelowAsync(Mosul, 30);
        var anbarWarning = await BelowAsync(Rawa, 30, severity: "warning");
        var anbarCritical = await RuleAsync(new
        {
            name = "Crossing closed", indicatorId = CrossingStatus, siteId = AlQaim, @operator = "in", states = new[] { "closed" }, severity = "critical",
        });
        await using var anbar = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await anbar.SubscribeAsync(regions: [Anbar]);
        await using var criticalOnly = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await criticalOnly.SubscribeAsync(minSeverity: "critical");

        // Ninawa first, then an Anbar warning, then an Anbar critical: what each client read before the last tells what it skipped.
        await PostAsync(Mosul, 5, day.AddHours(1));
        await PostAsync(Rawa, 5, DateTimeOffset.UtcNow);
        await (await _reporter.PostObservationsAsync(new { siteId = AlQaim, indicatorId = CrossingStatus, state = "closed", timestamp = day.AddHours(1) })).AssertAcceptedAsync(1);

        var anbarSeen = await anbar.UntilAsync(Fired(anbarCritical, day.AddHours(1)));
        var criticalSeen = await criticalOnly.UntilAsync(Fired(anbarCritical, day.AddHours(1)));

        Assert.DoesNotContain(anbarSeen, a => a.Str("region") == Ninawa);
        Assert.Contains(anbarSeen, a => a.Str("ruleId") == anbarWarning);
        Assert.Equal([ninawa, anbarCritical], criticalSeen.Select(a => a.Str("ruleId")).Distinct());
        Assert.All(criticalSeen, a => Assert.Equal("critical", a.Str("severity")));
    }

    [Fact]
    public async Task A_filtered_client_far_behind_resumes_past_pages_of_other_regions_changes()
    {
        var day = (await ClearAsync(Mosul)).AddHours(1);
        await ClearAsync(TalAfar, day.AddMinutes(-30));
        var ninawa = await BelowAsync(Mosul, 50);
        var anbar = await BelowAsync(TalAfar, 50);
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await client.SubscribeAsync(siteIds: [TalAfar], minSeverity: "critical");
        var last = await _app.Services.GetRequiredService<Monitor.Web.Alerts.AlertStore>().LastSequenceAsync(CancellationToken.None);

        // 150 Mosul changes (more than a page of 100), an hour apart so they never count as flapping, then one at Tal Afar.
        var flips = Enumerable.Range(0, 150).Select(i => (object)new { siteId = Mosul, indicatorId = FuelStationsOpen, value = i % 2 == 0 ? 10 : 90, timestamp = day.AddHours(i) }).ToArray();
        await (await _reporter.PostObservationsAsync(flips)).AssertAcceptedAsync(150);
        // Those readings reach 150 h past this test's day: skip the days they cover, so later tests' readings stay the newest.
        for (var i = 0; i < 7; i++) NewWindow();
        await PostAsync(TalAfar, 5, day);
        await client.UntilAsync(Fired(anbar, day));

        var resumed = await client.ResumeAsync(last);
        Assert.Equal([anbar], resumed.Select(a => a.Str("ruleId")).Distinct());
        Assert.DoesNotContain(resumed, a => a.Str("ruleId") == ninawa);

        // The 150 changes of one batch are numbered in the order they happened: each alert fired before it resolved.
        var episodes = JsonDocument.Parse(await _viewer.GetStringAsync("/api/alerts?status=all&limit=5000")).RootElement
            .EnumerateArray().Where(a => a.Str("ruleId") == ninawa).ToArray();
        Assert.Equal(75, episodes.Length);
        foreach (var episode in episodes.Take(5))
        {
            var history = JsonDocument.Parse(await _viewer.GetStringAsync($"/api/alerts/{episode.Str("id")}/history")).RootElement.EnumerateArray().ToArray();
            Assert.Equal(["firing", "resolved"], history.Select(a => a.Str("status")));
            Assert.True(history[0].Sequence() < history[1].Sequence());
        }
    }

    [Fact]
    public async Task A_client_that_wants_alerts_only_gets_no_observations()
    {
        var at = (await ClearAsync(Kirkuk)).AddHours(1);
        var rule = await BelowAsync(Kirkuk, 30);
        await using var alertsOnly = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        var observations = 0;
        alertsOnly.Connection.On<JsonElement>("ObservationRecorded", _ => Interlocked.Increment(ref observations));
        await alertsOnly.Connection.InvokeAsync("Subscribe", new { observations = false });
        await using var everything = await Hub.LiveClient.ConnectAsync(_app.ServerAddress, ViewerKey);

        await PostAsync(Kirkuk, 5, at);
        await PostAsync(Kirkuk, 6, at.AddMinutes(1));
        await alertsOnly.UntilAsync(Fired(rule, at));
        // The forwarder sent both batches to every connection that wanted them before the later one reached this client;
        // a round trip on the alerts-only connection then comes after anything it was sent before.
        while ((await everything.NextAsync()).GetProperty("timestamp").GetDateTimeOffset() != at.AddMinutes(1))
        {
        }
        await alertsOnly.ResumeAsync(long.MaxValue);

        Assert.Equal(0, Volatile.Read(ref observations));
    }

    [Fact]
    public async Task An_unknown_minimum_severity_is_refused()
    {
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.SubscribeAsync(minSeverity: "urgent"));
        Assert.Contains("minSeverity", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_acknowledgement_reaches_every_client_and_is_audited()
    {
        var at = (await ClearAsync(Kirkuk)).AddHours(1);
        var rule = await BelowAsync(Kirkuk, 20);
        await using var first = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await using var second = await AlertClient.ConnectAsync(_app.ServerAddress, CoordinatorKey);
        await PostAsync(Kirkuk, 3, at);
        var alert = (await first.UntilAsync(Fired(rule, at)))[^1];
        var id = alert.Str("id");

        using var refused = await _viewer.PostAsJsonAsync($"/api/alerts/{id}/acknowledge", new { comment = "seen" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var until = DateTimeOffset.UtcNow.AddHours(4);
        using var response = await _coordinator.PostAsJsonAsync($"/api/alerts/{id}/acknowledge", new { comment = "truck sent from Erbil", until });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        foreach (var client in new[] { first, second })
        {
            var acknowledged = (await client.UntilAsync(a => a.Str("id") == id && a.TryGetProperty("acknowledgedBy", out _)))[^1];
            Assert.Equal("key:test coordinator", acknowledged.Str("acknowledgedBy"));
            Assert.Equal("truck sent from Erbil", acknowledged.Str("comment"));
            Assert.Equal("firing", acknowledged.Str("status"));
            Assert.Equal(until.ToUnixTimeMilliseconds(), acknowledged.GetProperty("acknowledgedUntil").GetDateTimeOffset().ToUnixTimeMilliseconds());
        }
        using var audit = await fixture.App.CreateClient(AdminKey).GetAsync("/api/audit?action=alert.acknowledged");
        Assert.Contains(id, await audit.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var past = await _coordinator.PostAsJsonAsync($"/api/alerts/{id}/acknowledge", new { until = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Contains("until", (await past.AssertValidationProblemAsync()).Keys);
        using var unknown = await _coordinator.PostAsJsonAsync($"/api/alerts/{Guid.NewGuid()}/acknowledge", new { comment = "x" });
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Resume_after_a_forced_disconnect_returns_exactly_the_missed_changes()
    {
        var day = (await ClearAsync(Mosul)).AddHours(1);
        var rule = await BelowAsync(Mosul, 25);
        var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await PostAsync(Mosul, 10, day);
        var last = (await client.UntilAsync(Fired(rule, day)))[^1].Sequence();
        await client.DisposeAsync();

        // Missed while away: resolved, fired again, resolved again.
        await PostAsync(Mosul, 50, day.AddHours(1));
        await PostAsync(Mosul, 10, day.AddHours(2));
        await PostAsync(Mosul, 50, day.AddHours(3));
        var history = await EventuallyAsync(async () =>
        {
            using var response = await _viewer.GetAsync("/api/alerts?status=all&limit=5000");
            var all = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
                .Where(a => a.Str("ruleId") == rule).ToArray();
            return all.Length == 2 && all.All(a => a.Str("status") == "resolved") ? all : null;
        });

        await using var back = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        var missed = (await back.ResumeAsync(last)).Where(a => a.Str("ruleId") == rule).ToArray();

        Assert.Equal(["resolved", "firing", "resolved"], missed.Select(a => a.Str("status")));
        Assert.Equal(missed.Select(a => a.Sequence()).Order(), missed.Select(a => a.Sequence()));
        Assert.All(missed, a => Assert.True(a.Sequence() > last));
        Assert.Equal(history.Select(a => a.Str("id")).Order(), missed.Select(a => a.Str("id")).Distinct().Order());
    }

    [Fact]
    public async Task Every_change_is_in_the_alert_history_oldest_first()
    {
        var day = (await ClearAsync(Kirkuk)).AddHours(1);
        var rule = await BelowAsync(Kirkuk, 15, clear: 25);
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await PostAsync(Kirkuk, 10, day);
        await PostAsync(Kirkuk, 20, day.AddHours(1)); // between threshold and clear threshold: no change
        await PostAsync(Kirkuk, 30, day.AddHours(2));
        var id = (await client.UntilAsync(a => a.Is(rule, "resolved")))[^1].Str("id");

        using var response = await _viewer.GetAsync($"/api/alerts/{id}/history");
        var history = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();

        Assert.Equal(["firing", "resolved"], history.Select(a => a.Str("status")));
        Assert.True(history[0].Sequence() < history[1].Sequence());
        Assert.Equal(30, history[1].GetProperty("value").GetDouble());
        using var unknown = await _viewer.GetAsync($"/api/alerts/{Guid.NewGuid()}/history");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_silenced_alert_is_recorded_but_not_pushed_until_the_silence_ends()
    {
        var day = (await ClearAsync(TalAfar)).AddHours(1);
        await ClearAsync(Kirkuk, day.AddMinutes(-30));
        var silencedRule = await BelowAsync(TalAfar, 30);
        var markerRule = await BelowAsync(Kirkuk, 5);
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        using var created = await _coordinator.PostAsJsonAsync("/api/silences",
            new { siteId = TalAfar, endsAt = DateTimeOffset.UtcNow.AddHours(1), reason = "known outage, team on site" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var silenceId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.Str("id");

        await PostAsync(TalAfar, 2, day);
        await PostAsync(Kirkuk, 1, day);
        var seen = await client.UntilAsync(a => a.Str("ruleId") == markerRule);
        Assert.DoesNotContain(seen, a => a.Str("ruleId") == silencedRule);

        using var active = await _viewer.GetAsync("/api/alerts");
        var recorded = JsonDocument.Parse(await active.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Single(a => a.Str("ruleId") == silencedRule);
        Assert.True(recorded.GetProperty("silenced").GetBoolean());

        // Ending the silence pushes the still-firing alert, now unsilenced.
        (await _coordinator.DeleteAsync($"/api/silences/{silenceId}")).EnsureSuccessStatusCode();
        var unsilenced = (await client.UntilAsync(a => a.Str("ruleId") == silencedRule))[^1];
        Assert.False(unsilenced.GetProperty("silenced").GetBoolean());
        Assert.Equal("firing", unsilenced.Str("status"));
    }

    [Fact]
    public async Task A_silence_until_resolved_needs_something_active_and_a_reason()
    {
        using var nothing = await _coordinator.PostAsJsonAsync("/api/silences", new { siteId = Kirkuk, ruleId = "no-such-rule", reason = "x" });
        Assert.Contains("ruleId", (await nothing.AssertValidationProblemAsync()).Keys);
        var rule = await BelowAsync(Kirkuk, 1);
        using var untilResolved = await _coordinator.PostAsJsonAsync("/api/silences", new { ruleId = rule, reason = "maintenance" });
        Assert.Contains("endsAt", (await untilResolved.AssertValidationProblemAsync()).Keys);
        using var noReason = await _coordinator.PostAsJsonAsync("/api/silences", new { ruleId = rule, endsAt = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Contains("reason", (await noReason.AssertValidationProblemAsync()).Keys);
        using var asViewer = await _viewer.PostAsJsonAsync("/api/silences", new { ruleId = rule, endsAt = DateTimeOffset.UtcNow.AddHours(1), reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_rule_resolves_its_active_alerts()
    {
        var at = (await ClearAsync(Mosul)).AddHours(1);
        var rule = await BelowAsync(Mosul, 40);
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await PostAsync(Mosul, 10, at);
        var fired = (await client.UntilAsync(Fired(rule, at)))[^1];

        using var deleted = await _coordinator.DeleteAsync($"/api/rules/{rule}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        _rules.Remove(rule);

        var resolved = (await client.UntilAsync(a => a.Is(rule, "resolved")))[^1];
        Assert.Equal(fired.Str("id"), resolved.Str("id"));
        using var again = await _coordinator.DeleteAsync($"/api/rules/{rule}");
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_correction_re_evaluates_the_series_and_a_void_falls_back_to_the_reading_before()
    {
        var day = (await ClearAsync(TalAfar)).AddHours(1);
        var rule = await BelowAsync(TalAfar, 30);
        await using var client = await AlertClient.ConnectAsync(_app.ServerAddress, ViewerKey);
        await PostAsync(TalAfar, 10, day);
        var fired = (await client.UntilAsync(Fired(rule, day)))[^1];

        // The breaching reading was a typo: corrected to 80, the alert resolves.
        using var corrected = await _reporter.PostAsJsonAsync("/api/observations/corrections",
            new { siteId = TalAfar, indicatorId = FuelStationsOpen, timestamp = day, value = 80, reason = "typo: 80, not 10" }, MonitorApi.Json);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        var resolved = (await client.UntilAsync(a => a.Is(rule, "resolved")))[^1];
        Assert.Equal(fired.Str("id"), resolved.Str("id"));

        // A new breach, then voided: the series falls back to the corrected 80 and the new alert resolves too.
        await PostAsync(TalAfar, 5, day.AddHours(1));
        var second = (await client.UntilAsync(Fired(rule, day.AddHours(1))))[^1];
        using var voided = await _reporter.PostAsJsonAsync("/api/observations/corrections",
            new { siteId = TalAfar, indicatorId = FuelStationsOpen, timestamp = day.AddHours(1), @void = true, reason = "sent twice by mistake" }, MonitorApi.Json);
        Assert.Equal(HttpStatusCode.Accepted, voided.StatusCode);
        var withdrawn = (await client.UntilAsync(a => a.Is(rule, "resolved") && a.Str("id") == second.Str("id")))[^1];
        Assert.Equal(80, withdrawn.GetProperty("value").GetDouble());
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("The condition did not hold within 10 s.");
            await Task.Delay(50);
        }
    }
}
