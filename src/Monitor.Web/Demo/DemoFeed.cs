using System.Globalization;
using Microsoft.Extensions.Options;
using Monitor.Domain.Demo;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Demo;

/// <summary>
/// The reference scenario as a live demo: on a first start the start-up sequence has it load the scenario moved so that
/// it reaches now (<see cref="LoadAsync"/>); then this service streams the final part through the normal ingest path,
/// compressed by <see cref="DemoFeedOptions.Speed"/>, each reading stamped when it falls due. Progress is kept in
/// <see cref="DemoFeedProgress"/>, so a restart continues where the feed stopped and a finished feed stays finished.
/// </summary>
public sealed partial class DemoFeed(
    ObservationIngest ingest,
    AuditLog audit,
    AppPaths paths,
    TimeProvider time,
    IOptions<DemoFeedOptions> options,
    ILogger<DemoFeed> logger) : BackgroundService
{
    /// <summary>The channel the feed's batches are recorded under.</summary>
    public const string Channel = "demo";

    private const int LoadBatchSize = 5_000;

    /// <summary>At most this many readings per live batch, when the feed catches up after falling behind.</summary>
    private const int LiveBatchSize = 100;

    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Enabled => options.Value.Enabled;

    /// <summary>Completes once the whole live part is stored, in this run or an earlier one.</summary>
    public Task Finished => _finished.Task;

    /// <summary>
    /// Loads the part of the scenario before the cut into an empty store, moved so that the cut falls on now, and leaves
    /// the rest for the feed. Returns how many readings it loaded.
    /// </summary>
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var timeline = DemoTimeline.Split(ScenarioFiles.ReadObservations(paths.SeedDirectory), settings.LiveFrom);
        // Written first: a start interrupted while loading finishes the load on the next start instead of forgetting it.
        var progress = new DemoFeedProgress(settings.LiveFrom, DemoTimeline.ShiftFor(settings.LiveFrom, time.GetUtcNow()), timeline.Live.Count);
        progress.Save(paths.DataDirectory);
        await LoadPartAsync(timeline, progress, cancellationToken);
        return timeline.Loaded.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        try
        {
            await StreamAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the progress file says where to continue.
        }
        catch (Exception ex)
        {
            // A failed demo must not stop the app (a background service's exception would).
            LogFailed(ex);
        }
    }

    private async Task StreamAsync(CancellationToken stoppingToken)
    {
        if (DemoFeedProgress.Read(paths.DataDirectory) is not { } progress)
        {
            LogNothingToStream(paths.DataDirectory);
            return;
        }
        if (progress.Finished)
        {
            LogFinishedEarlier();
            _finished.TrySetResult();
            return;
        }

        var timeline = DemoTimeline.Split(ScenarioFiles.ReadObservations(paths.SeedDirectory), progress.LiveFrom);
        if (timeline.Live.Count != progress.LiveCount)
        {
            LogScenarioChanged(progress.LiveCount, timeline.Live.Count);
            return;
        }
        if (!progress.Loaded) progress = await LoadPartAsync(timeline, progress, stoppingToken);

        var live = timeline.Live;
        if (progress.Through > progress.Next && progress.Schedule is { } interrupted)
        {
            // The batch in flight when the last run stopped, posted again alike: what was stored already is unchanged.
            await PostAsync(interrupted.Stamp(live, progress.Next, progress.Through), stoppingToken);
            progress = Saved(progress with { Next = progress.Through });
        }

        var next = progress.Next;
        if (next < live.Count)
        {
            var settings = options.Value;
            // A first run continues the loaded part's clock from the cut; a restart picks up with the next reading now.
            var from = next == 0 ? progress.LiveFrom : live[next].Timestamp!.Value;
            var schedule = DemoSchedule.Start(time.GetUtcNow(), from, settings.Speed);
            LogStreaming(live.Count - next, from, settings.Speed,
                TimeSpan.FromSeconds(Math.Ceiling((schedule.DueAt(live[^1].Timestamp!.Value) - schedule.StartedAt).TotalSeconds)));

            while (next < live.Count)
            {
                var wait = schedule.DueAt(live[next].Timestamp!.Value) - time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
                var end = Math.Max(next + 1, schedule.DueThrough(live, next, time.GetUtcNow(), LiveBatchSize));
                progress = Saved(progress with { Next = next, Through = end, Schedule = schedule });
                await PostAsync(schedule.Stamp(live, next, end), stoppingToken);
                next = end;
            }
        }

        Saved(progress with { Next = live.Count, Through = live.Count, Finished = true });
        await audit.RecordAsync(AuditLog.System, AuditActions.ObservationsSubmitted, Guid.NewGuid().ToString(),
            string.Create(CultureInfo.InvariantCulture, $"count={live.Count}; channel={Channel}; the demo feed's live part"), null, CancellationToken.None);
        LogFinished(live.Count);
        _finished.TrySetResult();
    }

    private async Task<DemoFeedProgress> LoadPartAsync(DemoTimeline timeline, DemoFeedProgress progress, CancellationToken cancellationToken)
    {
        foreach (var chunk in timeline.Loaded.Select(r => DemoTimeline.Shifted(r, progress.Shift)).Chunk(LoadBatchSize))
        {
            var outcome = await ingest.SubmitAsync(chunk, Submitter.System(Channel), cancellationToken);
            if (outcome.Status != SubmissionStatus.Accepted)
            {
                var (key, messages) = outcome.Errors.First();
                throw new InvalidDataException($"The seed scenario has invalid observations (first: {key}: {messages[0]}).");
            }
        }
        // One entry for the whole load, as the real-dates load records it.
        await audit.RecordAsync(AuditLog.System, AuditActions.ObservationsSubmitted, Guid.NewGuid().ToString(),
            string.Create(CultureInfo.InvariantCulture, $"count={timeline.Loaded.Count}; channel={Channel}; shifted by {progress.Shift:c}"), null, cancellationToken);
        LogLoaded(timeline.Loaded.Count, progress.Shift, progress.LiveFrom + progress.Shift);
        return Saved(progress with { Loaded = true });
    }

    private async Task PostAsync(IReadOnlyList<ObservationInput> batch, CancellationToken cancellationToken)
    {
        var outcome = await ingest.SubmitAsync(batch, Submitter.System(Channel), cancellationToken);
        if (outcome.Status != SubmissionStatus.Accepted)
        {
            // Someone edited the catalog or reported at the very same millisecond: skip these, keep the demo going.
            var (key, messages) = outcome.Errors.First();
            LogBatchRefused(batch.Count, outcome.Status, key, messages[0]);
        }
    }

    private DemoFeedProgress Saved(DemoFeedProgress progress)
    {
        progress.Save(paths.DataDirectory);
        return progress;
    }

    [LoggerMessage(LogLevel.Information, "Demo feed: loaded {Count} scenario observations moved by {Shift}, so the scenario reaches {Now:u}.")]
    private partial void LogLoaded(int count, TimeSpan shift, DateTimeOffset now);

    [LoggerMessage(LogLevel.Information, "Demo feed: streaming {Count} scenario observations from {From:u} at {Speed}× real time; the last arrives in {Duration}.")]
    private partial void LogStreaming(int count, DateTimeOffset from, double speed, TimeSpan duration);

    [LoggerMessage(LogLevel.Information, "Demo feed finished: all {Count} live observations are stored; it stops here and does not repeat on later starts.")]
    private partial void LogFinished(int count);

    [LoggerMessage(LogLevel.Information, "Demo feed: it finished on an earlier start; nothing left to stream.")]
    private partial void LogFinishedEarlier();

    [LoggerMessage(LogLevel.Information, "Demo feed: nothing to stream, the store held data before the feed was on (or seeding is off). Start on an empty data directory (not {DataDirectory}) to see the scenario live.")]
    private partial void LogNothingToStream(string dataDirectory);

    [LoggerMessage(LogLevel.Warning, "Demo feed stopped: the scenario's live part had {Expected} observations when it was loaded and has {Actual} now. Start on an empty data directory to stream the new one.")]
    private partial void LogScenarioChanged(int expected, int actual);

    [LoggerMessage(LogLevel.Warning, "Demo feed skipped a batch of {Count} observations ({Status}; first: {Key}: {Message}).")]
    private partial void LogBatchRefused(int count, SubmissionStatus status, string key, string message);

    [LoggerMessage(LogLevel.Error, "Demo feed stopped by an error; it continues from where it stopped on the next start.")]
    private partial void LogFailed(Exception exception);
}
