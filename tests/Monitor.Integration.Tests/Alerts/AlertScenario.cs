using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitor.Integration.Tests.Api;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>Rules, readings that raise or clear their alerts, and the changes the server recorded, through the public API.</summary>
internal static class AlertScenario
{
    private static readonly Lock Clock = new();
    private static DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>
    /// Settings for an app that raises an alert on every flip of a condition and takes readings as fast as they come:
    /// the tests flip one site many times a minute, which the default flapping detection would rightly calm down to one
    /// notification, and the per-key ingest limit would slow to ten a second.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Alerts:FlappingLimit"] = "1000000",
        ["RateLimits:Observations:TokenLimit"] = "1000000",
        ["RateLimits:Observations:TokensPerPeriod"] = "1000000",
    };

    /// <summary>Now, to the millisecond the store keeps, and later than any timestamp handed out before: a new reading.</summary>
    public static DateTimeOffset Fresh()
    {
        lock (Clock)
        {
            var now = DateTimeOffset.UtcNow;
            now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
            _last = now > _last ? now : _last.AddMilliseconds(1);
            return _last;
        }
    }

    public static async Task CreateRuleAsync(this HttpClient coordinator, object rule)
    {
        using var response = await coordinator.PostAsJsonAsync("/api/rules", rule, MonitorApi.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/rules answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>"Fuel stations open below 30 %" at one site.</summary>
    public static Task CreateFuelRuleAsync(this HttpClient coordinator, string siteId, string severity) =>
        coordinator.CreateRuleAsync(new { name = $"{siteId} below 30", indicatorId = FuelStationsOpen, siteId, @operator = "below", threshold = 30, severity });

    /// <summary>Posts one fuel reading now: below 30 raises the alert, above clears it.</summary>
    public static async Task PostFuelAsync(this HttpClient reporter, string siteId, double value) =>
        await (await reporter.PostObservationsAsync(new { siteId, indicatorId = FuelStationsOpen, value, timestamp = Fresh() })).AssertAcceptedAsync(1);

    /// <summary>Every change the server recorded after <paramref name="after"/>, by (id, sequence), from each alert's history.</summary>
    public static async Task<IReadOnlyList<(Guid Id, long Sequence, string SiteId)>> RecordedChangesAsync(this HttpClient viewer, long after)
    {
        var alerts = await viewer.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all&limit=5000", MonitorApi.Json);
        var changes = new List<(Guid, long, string)>();
        foreach (var alert in alerts!)
        {
            var history = await viewer.GetFromJsonAsync<JsonElement[]>($"/api/alerts/{alert.GetProperty("id").GetGuid()}/history", MonitorApi.Json);
            changes.AddRange(history!.Select(c => (c.GetProperty("id").GetGuid(), c.GetProperty("sequence").GetInt64(), c.GetProperty("siteId").GetString()!)));
        }
        return changes.Where(c => c.Item2 > after).OrderBy(c => c.Item2).ToArray();
    }

    /// <summary>The sequence of the newest recorded change (0 when there is none).</summary>
    public static async Task<long> CurrentSequenceAsync(this HttpClient viewer)
    {
        var newest = await viewer.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all&limit=1", MonitorApi.Json);
        return newest!.Length == 0 ? 0 : newest[0].GetProperty("sequence").GetInt64();
    }

    /// <summary>The sequence of a site's active alert, or 0 while it has none.</summary>
    public static async Task<long> ActiveAlertSequenceAsync(this HttpClient viewer, string siteId)
    {
        var active = await viewer.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=active", MonitorApi.Json);
        return active!.Where(a => a.GetProperty("siteId").GetString() == siteId).Select(a => a.GetProperty("sequence").GetInt64()).FirstOrDefault();
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > (patience ?? TimeSpan.FromSeconds(30))) throw new TimeoutException($"Waited {clock.Elapsed.TotalSeconds:0} s for {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming what was awaited (and what was seen).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? patience = null, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (patience ?? TimeSpan.FromSeconds(30)))
                throw new TimeoutException($"Waited {clock.Elapsed.TotalSeconds:0} s for {what}. {describe?.Invoke()}");
            await Task.Delay(20);
        }
    }
}
