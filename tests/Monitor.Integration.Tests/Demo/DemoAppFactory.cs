using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Domain.Observations;
using Monitor.Integration.Tests.Alerts;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Integration.Tests.Ingest;
using Monitor.Web.Demo;
using Monitor.Web.Observations.Feed;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Demo;

/// <summary>
/// The app with the demo feed on, seeded with <see cref="Timeline"/> and cut at <see cref="LiveFrom"/>. Every batch the
/// ingest announces, from the first load on, is kept by <see cref="Recorder"/> (subscribed as the feed is created, so it
/// misses nothing the demo posts while the app starts).
/// </summary>
public sealed class DemoAppFactory : MonitorAppFactory
{
    public static readonly DateTimeOffset LiveFrom = Utc(2014, 6, 10, 0);

    /// <summary>
    /// Mosul's fuel stations every 6 hours over four days, falling from 80 % to 5 %; Baiji's refinery operating, then reduced
    /// and offline; Al Qaim's crossing restricted, then closed. Twelve readings before the cut, twelve after.
    /// </summary>
    public static readonly IReadOnlyList<Observation> Timeline =
    [
        .. Enumerable.Range(0, 16).Select(i => new Observation(Mosul, FuelStationsOpen, Utc(2014, 6, 8, 0).AddHours(6 * i), 80 - 5 * i, null, "demo test", null)),
        new(Baiji, RefineryStatus, Utc(2014, 6, 8, 0), null, "operating", "demo test", null),
        new(Baiji, RefineryStatus, Utc(2014, 6, 9, 0), null, "operating", "demo test", null),
        new(Baiji, RefineryStatus, Utc(2014, 6, 10, 12), null, "reduced", "demo test", "units run down"),
        new(Baiji, RefineryStatus, Utc(2014, 6, 11, 12), null, "offline", "demo test", "shut down"),
        new(AlQaim, CrossingStatus, Utc(2014, 6, 8, 0), null, "restricted", "demo test", null),
        new(AlQaim, CrossingStatus, Utc(2014, 6, 9, 0), null, "restricted", "demo test", null),
        new(AlQaim, CrossingStatus, Utc(2014, 6, 11, 6), null, "closed", "demo test", "crossing taken"),
        new(AlQaim, CrossingStatus, Utc(2014, 6, 11, 18), null, "closed", "demo test", null),
    ];

    public static IReadOnlyList<Observation> LoadedPart => Timeline.Where(o => o.Timestamp < LiveFrom).ToArray();

    /// <summary>The live part in the order the feed posts it: by time, ties in file order.</summary>
    public static IReadOnlyList<Observation> LivePart => Timeline.Where(o => o.Timestamp >= LiveFrom).OrderBy(o => o.Timestamp).ToArray();

    public DemoAppFactory(double speed)
    {
        Write(SeedDirectory, observations: Timeline);
        Settings["Monitor:DemoFeed:Enabled"] = "true";
        Settings["Monitor:DemoFeed:Speed"] = speed.ToString(CultureInfo.InvariantCulture);
        Settings["Monitor:DemoFeed:LiveFrom"] = LiveFrom.ToString("O", CultureInfo.InvariantCulture);
        TestServices = services => services.AddSingleton(sp =>
        {
            var feed = new ObservationFeed(sp.GetRequiredService<ILogger<ObservationFeed>>());
            feed.Subscribe(Recorder.ReceiveAsync, name: RecorderName);
            return feed;
        });
    }

    internal FeedRecorder Recorder { get; } = new();

    private const string RecorderName = "demo test";

    public DemoFeed Feed => Services.GetRequiredService<DemoFeed>();

    /// <summary>
    /// Starts the app (if it is not running yet) and waits until the feed has streamed its whole live part and
    /// <see cref="Recorder"/> has received the last batch (subscribers hear of a commit on their own pumps, after it).
    /// </summary>
    public async Task WaitUntilFinishedAsync()
    {
        var feed = Feed;
        try
        {
            await feed.Finished.WaitAsync(FeedRecorder.Patience);
            var announcements = Services.GetRequiredService<ObservationFeed>();
            await AlertScenario.WaitUntilAsync(() => announcements.IsIdle(RecorderName), "the test's recorder to receive the feed's last batch");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The demo feed did not finish within {FeedRecorder.Patience.TotalSeconds} s; the app logged: " +
                        string.Join(" | ", Logs.Entries.Where(e => e.Category.Contains("Demo", StringComparison.Ordinal)).Select(e => e.Message)));
        }
    }

    /// <summary>The observations announced so far stamped at or after <paramref name="since"/>: what the feed streamed, in order.</summary>
    public IReadOnlyList<RecordedObservation> Streamed(DateTimeOffset since) => Streamed(Recorder.Messages, since);

    public static IReadOnlyList<RecordedObservation> Streamed(IEnumerable<FeedMessage> messages, DateTimeOffset since) =>
        messages.OfType<FeedBatch>().SelectMany(b => b.Observations).Where(o => o.Timestamp >= since).ToArray();

    /// <summary>Waits until at least <paramref name="count"/> readings stamped after the start of the test have been streamed.</summary>
    public Task WaitForStreamedAsync(DateTimeOffset since, int count) =>
        Recorder.WaitUntilAsync(messages => Streamed(messages, since).Count >= count, $"{count} live readings");
}
