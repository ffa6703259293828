using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>
/// <c>Resume</c> over a link that keeps failing, written as an outside client would write it against the documented
/// contract: subscribe, resume from the last sequence seen, take pushes, de-duplicate by id and sequence. The link is
/// cut (TCP reset, no close handshake) 100 times while alerts keep being raised, and the client must end up with
/// exactly the changes the server recorded.
/// </summary>
public sealed class ResumeTests(ListenerApp app, ITestOutputHelper output) : IClassFixture<ListenerApp>, IDisposable
{
    private const int Cuts = 100;
    private readonly HttpClient _reporter = app.Client(ReporterKey);
    private readonly HttpClient _viewer = app.Client(ViewerKey);

    public void Dispose()
    {
        _reporter.Dispose();
        _viewer.Dispose();
    }

    private static (Guid Id, long Sequence) Key(JsonElement alert) => (alert.GetProperty("id").GetGuid(), alert.GetProperty("sequence").GetInt64());

    [Fact]
    public async Task Client_cut_off_100_times_while_alerts_keep_coming_misses_nothing_and_keeps_nothing_twice()
    {
        await using var relay = new LoopbackRelay(app.Server);
        var start = await _viewer.CurrentSequenceAsync();
        var kept = new HashSet<(Guid Id, long Sequence)>();
        var last = start;
        var resumedOnly = 0;
        var repeats = 0;

        void Keep(JsonElement alert, bool resumed)
        {
            Assert.Equal(Kirkuk, alert.GetProperty("siteId").GetString());
            if (!kept.Add(Key(alert)))
            {
                repeats++;
                return;
            }
            if (resumed) resumedOnly++;
            last = Math.Max(last, Key(alert).Sequence);
        }

        using var raising = new CancellationTokenSource();
        var posted = 0;
        var raiser = Task.Run(async () =>
        {
            for (var low = true; !raising.IsCancellationRequested; low = !low)
            {
                await _reporter.PostFuelAsync(Kirkuk, low ? 10 : 50);
                Interlocked.Increment(ref posted);
            }
        });

        for (var cut = 0; cut <= Cuts; cut++)
        {
            var pushed = new ConcurrentQueue<JsonElement>();
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(relay.Url, "hubs/alerts"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.Headers["X-Api-Key"] = ViewerKey;
                })
                .Build();
            connection.On<JsonElement>("AlertChanged", pushed.Enqueue);
            connection.Closed += _ =>
            {
                closed.TrySetResult();
                return Task.CompletedTask;
            };
            await connection.StartAsync();
            await connection.InvokeAsync("Subscribe", new { siteIds = new[] { Kirkuk } });
            while (true)
            {
                var page = await connection.InvokeAsync<JsonElement[]>("Resume", last);
                foreach (var alert in page) Keep(alert, resumed: true);
                if (page.Length == 0) break;
            }
            if (cut == Cuts) break;

            // Live again: wait for a push newer than anything resumed, then cut the link under it.
            await AlertScenario.WaitUntilAsync(() => pushed.Any(a => Key(a).Sequence > last), $"a push on connection {cut + 1}");
            relay.CutAll();
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            foreach (var alert in pushed) Keep(alert, resumed: false);
            var postedAtCut = Volatile.Read(ref posted);
            await AlertScenario.WaitUntilAsync(() => raiser.IsFaulted || Volatile.Read(ref posted) > postedAtCut, $"an alert raised while cut off ({cut + 1})");
        }

        await raising.CancelAsync();
        await raiser;
        // The raiser's last changes may have been committed after the final Resume: one more catch-up, without a cut.
        await using (var final = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server, "hubs/alerts"), o => o.Headers["X-Api-Key"] = ViewerKey).Build())
        {
            await final.StartAsync();
            await final.InvokeAsync("Subscribe", new { siteIds = new[] { Kirkuk } });
            foreach (var alert in await final.InvokeAsync<JsonElement[]>("Resume", last)) Keep(alert, resumed: true);
        }

        var recorded = (await _viewer.RecordedChangesAsync(start)).Where(c => c.SiteId == Kirkuk).Select(c => (c.Id, c.Sequence)).ToHashSet();
        output.WriteLine($"{posted} readings posted, {recorded.Count} changes recorded, {resumedOnly} received only through Resume, {repeats} repeats dropped.");
        Assert.True(recorded.Count > Cuts, $"Only {recorded.Count} changes were raised.");
        Assert.Empty(recorded.Except(kept));
        Assert.Empty(kept.Except(recorded));
        Assert.True(resumedOnly > 0, "No change was missed while cut off, so Resume was never needed: the test proves nothing.");
    }
}
