using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations.Feed;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>The app with a rate limit too high to matter: these tests send hundreds of batches with one key.</summary>
public sealed class FeedAppFactory : MonitorAppFactory
{
    public FeedAppFactory()
    {
        Settings["RateLimits:Observations:TokenLimit"] = "1000000";
        Settings["RateLimits:Observations:TokensPerPeriod"] = "1000000";
    }
}

/// <summary>The feed as the ingest drives it: real POSTs through the app, subscribers on the app's own feed.</summary>
public sealed class ObservationFeedIngestTests(FeedAppFactory app) : IClassFixture<FeedAppFactory>
{
    private readonly HttpClient _reporter = app.CreateClient(ReporterKey);

    private ObservationFeed Feed => app.Services.GetRequiredService<ObservationFeed>();

    /// <summary><paramref name="count"/> fuel readings a second apart from <paramref name="start"/>, as the feed announces them.</summary>
    private static RecordedObservation[] Readings(string siteId, DateTimeOffset start, int count, int seed) =>
        Enumerable.Range(0, count)
            .Select(i => new RecordedObservation(siteId, siteId == Kirkuk ? KirkukRegion : Ninawa, FuelStationsOpen,
                start.AddSeconds(i), (seed + i) % 101, null, null, null))
            .ToArray();

    /// <summary>Posts the readings as one batch; returns the sequence the 202 names.</summary>
    private async Task<long> PostAcceptedAsync(IReadOnlyList<RecordedObservation> batch)
    {
        using var response = await _reporter.PostObservationsAsync(
            batch.Select(o => (object)new { siteId = o.SiteId, indicatorId = o.IndicatorId, value = o.Value, timestamp = o.Timestamp }).ToArray());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["sequence"]!.GetValue<long>();
    }

    private static void AssertStrictlyIncreasing(IReadOnlyList<FeedMessage> messages) =>
        Assert.True(messages.Zip(messages.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence),
            $"Not in strictly increasing order: {FeedRecorder.Describe(messages)}");

    [Fact]
    public async Task Concurrent_writers_are_announced_once_each_in_sequence_order_with_their_own_observations()
    {
        const int writers = 8;
        const int batchesEach = 20;
        var day = NewWindow();
        var recorder = new FeedRecorder();
        using var subscription = Feed.Subscribe(recorder.ReceiveAsync, name: "order test");

        var accepted = new ConcurrentDictionary<long, RecordedObservation[]>();
        var repeated = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var b = 0; b < batchesEach; b++)
            {
                var batch = Readings(writer % 2 == 0 ? Mosul : Kirkuk, day.AddHours(writer).AddMinutes(b), 1 + (writer + b) % 4, writer * batchesEach + b);
                var sequence = await PostAcceptedAsync(batch);
                if (!accepted.TryAdd(sequence, batch)) repeated.Add(sequence);
            }
        })));

        Assert.Empty(repeated);
        var sequences = accepted.Keys.Order().ToArray();
        Assert.Equal(writers * batchesEach, sequences.Length);
        // Nothing else writes to this app meanwhile, so the batches took consecutive sequences.
        Assert.Equal(Enumerable.Range(0, sequences.Length).Select(i => sequences[0] + i), sequences);

        var messages = await recorder.WaitForSequenceAsync(sequences[^1]);
        AssertStrictlyIncreasing(messages);
        Assert.DoesNotContain(messages, m => m is FeedResync);
        var announced = messages.OfType<FeedBatch>().Where(b => b.Sequence >= sequences[0]).ToArray();
        Assert.Equal(sequences, announced.Select(b => b.Sequence));
        Assert.All(announced, batch => Assert.Equal(accepted[batch.Sequence], batch.Observations));
    }

    [Fact]
    public async Task Slow_subscriber_never_delays_ingest_and_is_resynced_while_a_fast_one_receives_everything_in_order()
    {
        const int capacity = 1_000;
        const int batchSize = 50;
        const int flood = 30;
        var day = NewWindow();
        var slow = new FeedRecorder(holdOn: m => m is FeedBatch b && b.Observations.Any(o => o.Timestamp >= day && o.Timestamp < day.AddDays(1)));
        var fast = new FeedRecorder();
        using var slowSubscription = Feed.Subscribe(slow.ReceiveAsync, capacity, "slow");
        using var fastSubscription = Feed.Subscribe(fast.ReceiveAsync, name: "fast");

        var sent = new List<(long Sequence, RecordedObservation[] Observations)>();
        var firstBatch = Readings(Mosul, day, 1, 0);
        sent.Add((await PostAcceptedAsync(firstBatch), firstBatch));
        await slow.Held.WaitAsync(FeedRecorder.Patience);
        for (var i = 0; i < flood; i++)
        {
            var batch = Readings(Kirkuk, day.AddHours(1 + i), batchSize, i);
            sent.Add((await PostAcceptedAsync(batch), batch));
        }

        // Every POST above was answered while the slow subscriber sat in its handler with the first batch.
        Assert.False(slow.IsReleased);
        var first = sent[0].Sequence;
        Assert.Equal([first], slow.Messages.Where(m => m.Sequence >= first).Select(m => m.Sequence));

        var fastMessages = (await fast.WaitForSequenceAsync(sent[^1].Sequence)).Where(m => m.Sequence >= first).ToArray();
        Assert.Equal(sent.Select(s => "B" + s.Sequence), fastMessages.Select(FeedRecorder.Label));
        Assert.All(fastMessages.Cast<FeedBatch>().Zip(sent), pair => Assert.Equal(pair.Second.Observations, pair.First.Observations));

        slow.Release();
        var lastBatch = Readings(Mosul, day.AddHours(23), 1, 0);
        var last = await PostAcceptedAsync(lastBatch);
        sent.Add((last, lastBatch));
        var slowMessages = (await slow.WaitForSequenceAsync(last)).Where(m => m.Sequence >= first).ToArray();

        // While held it had the first batch in hand; 20 more (1,000 observations) fill its queue, the 21st overflows
        // it: the queue and that batch make way for one resync, and the 9 flood batches after it wait as usual.
        var overflow = 1 + capacity / batchSize;
        Assert.Equal(
            [$"B{first}", $"R{sent[overflow].Sequence}", .. sent.Skip(overflow + 1).Select(s => $"B{s.Sequence}")],
            slowMessages.Select(FeedRecorder.Label));
        Assert.All(slowMessages.OfType<FeedBatch>(),
            batch => Assert.Equal(sent.Single(s => s.Sequence == batch.Sequence).Observations, batch.Observations));
    }
}

/// <summary>The feed's own rules, on an instance of its own: order, isolation, bounded memory, resync.</summary>
public sealed class ObservationFeedTests
{
    private static readonly DateTimeOffset Start = Utc(2016, 3, 1, 0);

    private static ObservationFeed NewFeed() => new(NullLogger<ObservationFeed>.Instance);

    private static FeedBatch Batch(long sequence, int size = 1) =>
        new(sequence, Enumerable.Range(0, size)
            .Select(i => new RecordedObservation(Mosul, Ninawa, FuelStationsOpen, Start.AddMinutes(sequence).AddSeconds(i), i % 101, null, null, null))
            .ToArray());

    /// <summary>Batch sizes vary from 1 to 7 observations, so capacity is crossed at different points within a batch.</summary>
    private static int SizeOf(long sequence) => 1 + (int)(sequence % 7);

    /// <summary>
    /// Publishes the batches and keeps only weak references to them, so what stays alive afterwards is what the feed holds.
    /// Not inlined: no local of the caller may keep a batch alive.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<WeakReference<FeedBatch>> Flood(ObservationFeed feed, long from, int count)
    {
        var published = new List<WeakReference<FeedBatch>>(count);
        for (var sequence = from; sequence < from + count; sequence++)
        {
            var batch = Batch(sequence, SizeOf(sequence));
            feed.Publish(batch);
            published.Add(new WeakReference<FeedBatch>(batch));
        }
        return published;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ObservationsStillHeld(List<WeakReference<FeedBatch>> published)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return published.Sum(reference => reference.TryGetTarget(out var batch) ? batch.Observations.Count : 0);
    }

    [Fact]
    public async Task Blocked_subscriber_loses_nothing_while_its_queue_stays_within_capacity()
    {
        const int capacity = 100;
        var feed = NewFeed();
        var held = new FeedRecorder(holdOn: m => m.Sequence == 1);
        using var subscription = feed.Subscribe(held.ReceiveAsync, capacity);
        feed.Publish(Batch(1));
        await held.Held.WaitAsync(FeedRecorder.Patience);

        // 20 batches of 5: exactly the capacity, and not more than it.
        for (var sequence = 2; sequence <= 21; sequence++) feed.Publish(Batch(sequence, 5));
        held.Release();

        var messages = await held.WaitForSequenceAsync(21);
        Assert.Equal(Enumerable.Range(1, 21).Select(s => $"B{s}"), messages.Select(FeedRecorder.Label));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(1_000)]
    [InlineData(20_000)]
    public async Task Blocked_subscriber_holds_at_most_its_capacity_and_is_resynced_past_everything_it_lost(int floodBatches)
    {
        const int capacity = 100;
        var feed = NewFeed();
        var held = new FeedRecorder(holdOn: m => m.Sequence == 1);
        using var subscription = feed.Subscribe(held.ReceiveAsync, capacity);
        feed.Publish(Batch(1));
        await held.Held.WaitAsync(FeedRecorder.Patience);

        var published = Flood(feed, 2, floodBatches);
        var last = 1 + floodBatches;

        // What the feed keeps for the subscriber while it is stuck: never more than its capacity.
        Assert.InRange(ObservationsStillHeld(published), 0, capacity);

        held.Release();
        var messages = await held.WaitForSequenceAsync(last);

        // After the batch it was stuck on: one resync past everything dropped, then every later batch, in order.
        Assert.True(messages.Count >= 2 && messages[0] is FeedBatch { Sequence: 1 } && messages[1] is FeedResync,
            $"Expected B1 then a resync: {FeedRecorder.Describe(messages)}");
        var resyncedAt = messages[1].Sequence;
        var kept = messages.Skip(2).ToArray();
        Assert.All(kept, m => Assert.IsType<FeedBatch>(m));
        Assert.Equal(Enumerable.Range(0, (int)(last - resyncedAt)).Select(i => resyncedAt + 1 + i), kept.Select(m => m.Sequence));
        Assert.All(kept.Cast<FeedBatch>(), batch => Assert.Equal(SizeOf(batch.Sequence), batch.Observations.Count));
        Assert.InRange(kept.Cast<FeedBatch>().Sum(b => b.Observations.Count), 0, capacity);
    }

    [Fact]
    public async Task Catching_up_waits_until_no_subscriber_has_more_than_asked_waiting()
    {
        var feed = NewFeed();
        var held = new FeedRecorder(holdOn: m => m.Sequence == 1);
        using var subscription = feed.Subscribe(held.ReceiveAsync, capacity: 1_000);
        using var idle = feed.Subscribe(_ => Task.CompletedTask);
        feed.Publish(Batch(1));
        await held.Held.WaitAsync(FeedRecorder.Patience);
        for (var sequence = 2; sequence <= 11; sequence++) feed.Publish(Batch(sequence, 5));

        // Far longer than the test waits: it must end because the queue shrank, not because time ran out.
        var caughtUp = feed.CatchUpAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.False(caughtUp.IsCompleted);

        held.Release();
        await caughtUp.WaitAsync(FeedRecorder.Patience);
        await held.WaitForSequenceAsync(11);
    }

    [Fact]
    public async Task Catching_up_gives_up_after_its_timeout_while_a_subscriber_stays_behind()
    {
        var feed = NewFeed();
        var held = new FeedRecorder(holdOn: m => m.Sequence == 1);
        using var subscription = feed.Subscribe(held.ReceiveAsync, capacity: 1_000);
        feed.Publish(Batch(1));
        await held.Held.WaitAsync(FeedRecorder.Patience);
        for (var sequence = 2; sequence <= 11; sequence++) feed.Publish(Batch(sequence, 5));

        await feed.CatchUpAsync(10, TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(FeedRecorder.Patience);

        Assert.Equal([1L], held.Messages.Select(m => m.Sequence));
        held.Release();
    }

    [Fact]
    public async Task A_subscriber_of_many_receives_what_waited_meanwhile_in_one_call_in_order()
    {
        var feed = NewFeed();
        var calls = new ConcurrentQueue<long[]>();
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = feed.SubscribeMany(async messages =>
        {
            calls.Enqueue(messages.Select(m => m.Sequence).ToArray());
            firstCall.TrySetResult();
            await release.Task;
            if (messages[^1].Sequence == 51) all.TrySetResult();
        });

        feed.Publish(Batch(1));
        await firstCall.Task.WaitAsync(FeedRecorder.Patience);
        for (var sequence = 2; sequence <= 51; sequence++) feed.Publish(Batch(sequence));
        release.SetResult();
        await all.Task.WaitAsync(FeedRecorder.Patience);

        Assert.Equal([[1L], Enumerable.Range(2, 50).Select(s => (long)s).ToArray()], calls.ToArray());
    }

    [Fact]
    public async Task A_batchs_observations_are_built_once_when_a_subscriber_first_reads_them_and_not_at_all_if_none_does()
    {
        var feed = NewFeed();
        var builds = 0;
        FeedBatch Lazy(long sequence) => new(sequence, 1, new HashSet<string> { FuelStationsOpen }, () =>
        {
            Interlocked.Increment(ref builds);
            return Batch(sequence).Observations;
        });
        var counting = new FeedRecorder();
        var reading = new ConcurrentBag<int>();
        using var first = feed.Subscribe(counting.ReceiveAsync);
        feed.Publish(Lazy(1));
        var unread = Assert.IsType<FeedBatch>(Assert.Single(await counting.WaitForSequenceAsync(1)));

        Assert.Equal(0, Volatile.Read(ref builds));
        Assert.Equal(1, unread.Count);
        Assert.Equal([FuelStationsOpen], unread.IndicatorIds);

        var readers = Enumerable.Range(0, 3).Select(_ => new FeedRecorder()).ToArray();
        var subscriptions = readers.Select(r => feed.Subscribe(async message =>
        {
            if (message is FeedBatch batch) reading.Add(batch.Observations.Count);
            await r.ReceiveAsync(message);
        })).ToArray();
        feed.Publish(Lazy(2));
        foreach (var reader in readers) await reader.WaitForSequenceAsync(2);
        foreach (var subscription in subscriptions) subscription.Dispose();

        Assert.Equal([1, 1, 1], reading);
        Assert.Equal(1, Volatile.Read(ref builds));
    }

    [Fact]
    public async Task Late_subscriber_receives_only_batches_published_after_it_subscribed()
    {
        var feed = NewFeed();
        for (var sequence = 1; sequence <= 3; sequence++) feed.Publish(Batch(sequence));

        var late = new FeedRecorder();
        using var subscription = feed.Subscribe(late.ReceiveAsync);
        feed.Publish(Batch(4));
        feed.Publish(Batch(5));

        var messages = await late.WaitForSequenceAsync(5);
        Assert.Equal(["B4", "B5"], messages.Select(FeedRecorder.Label));
    }

    [Fact]
    public async Task Disposed_subscription_receives_nothing_more_not_even_what_was_already_queued()
    {
        var feed = NewFeed();
        var received = new ConcurrentQueue<long>();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Completed without RunContinuationsAsynchronously, on a pool thread: the pump resumes inline, so whatever it
        // would still deliver is delivered before SetResult returns.
        var handlerDone = new TaskCompletionSource();
        var subscription = feed.Subscribe(message =>
        {
            received.Enqueue(message.Sequence);
            if (message.Sequence != 1) return Task.CompletedTask;
            inHandler.TrySetResult();
            return handlerDone.Task;
        });

        feed.Publish(Batch(1));
        await inHandler.Task.WaitAsync(FeedRecorder.Patience);
        feed.Publish(Batch(2));
        feed.Publish(Batch(3));
        subscription.Dispose();
        await Task.Run(handlerDone.SetResult);
        feed.Publish(Batch(4));

        Assert.Equal([1L], received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Throwing_subscriber_keeps_receiving_and_others_are_unaffected(bool throwsSynchronously)
    {
        var feed = NewFeed();
        var failing = new FeedRecorder();
        var healthy = new FeedRecorder();
        using var failingSubscription = feed.Subscribe(message =>
        {
            failing.Record(message);
            return throwsSynchronously
                ? throw new InvalidOperationException("handler failed")
                : Task.FromException(new InvalidOperationException("handler failed"));
        });
        using var healthySubscription = feed.Subscribe(healthy.ReceiveAsync);

        for (var sequence = 1; sequence <= 5; sequence++) feed.Publish(Batch(sequence));
        feed.Resync();

        string[] expected = ["B1", "B2", "B3", "B4", "B5", "R5"];
        var failed = await failing.WaitUntilAsync(m => m.Any(x => x is FeedResync), "the resync");
        var fine = await healthy.WaitUntilAsync(m => m.Any(x => x is FeedResync), "the resync");
        Assert.Equal(expected, failed.Select(FeedRecorder.Label));
        Assert.Equal(expected, fine.Select(FeedRecorder.Label));
    }

    [Fact]
    public async Task Resync_reaches_every_subscriber_after_the_batches_published_before_it()
    {
        var feed = NewFeed();
        var idle = new FeedRecorder();
        var busy = new FeedRecorder(holdOn: m => m.Sequence == 1);
        using var idleSubscription = feed.Subscribe(idle.ReceiveAsync);
        using var busySubscription = feed.Subscribe(busy.ReceiveAsync);

        feed.Publish(Batch(1));
        await busy.Held.WaitAsync(FeedRecorder.Patience);
        feed.Publish(Batch(2));
        feed.Publish(Batch(3));
        feed.Resync();
        feed.Publish(Batch(4));
        busy.Release();

        string[] expected = ["B1", "B2", "B3", "R3", "B4"];
        Assert.Equal(expected, (await idle.WaitForSequenceAsync(4)).Select(FeedRecorder.Label));
        Assert.Equal(expected, (await busy.WaitForSequenceAsync(4)).Select(FeedRecorder.Label));
    }
}
