using Microsoft.Extensions.Options;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Alerts;

/// <summary>The outcome of an acknowledgement or a silence request.</summary>
public enum AlertCommandStatus
{
    Done,
    NotFound,

    /// <summary>The alert exists but is resolved; there is nothing left to acknowledge.</summary>
    NotActive,

    /// <summary>A silence "until resolved" was asked for a scope with no active alert.</summary>
    NothingToSilence,
}

/// <summary>
/// Runs every enabled rule's lifecycle for every site it covers. Readings arrive from the sequenced observation feed
/// (every ingest path publishes there), so an alert is persisted and pushed as soon as the batch that raised it is
/// committed; a periodic sweep covers what happens without a reading (pending periods, missing reports,
/// acknowledgement ends, silences). All state changes run one at a time under one lock, and each evaluation's changes
/// are committed in one transaction before they are pushed, in sequence order.
/// <para>
/// After a restart (also a crash) the state is read back: active alerts, acknowledgements and silences from the
/// database, the last reading of every watched series from the observation store. Alert ids are derived from the
/// episode, so replaying a reading the previous run already evaluated raises nothing twice.
/// </para>
/// </summary>
public sealed partial class AlertEngine(
    ObservationFeed feed,
    IObservationReader observations,
    CatalogService catalog,
    AlertRules rules,
    AlertStore store,
    AlertPush push,
    TimeProvider time,
    IOptions<AlertOptions> options,
    ILogger<AlertEngine> logger) : BackgroundService
{
    /// <summary>How far back a series seen for the first time looks for the start of its current episode.</summary>
    private static readonly TimeSpan ReplaySpan = TimeSpan.FromDays(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<(string RuleId, string SiteId), AlertSeries> _series = [];
    private readonly Dictionary<(string SiteId, string IndicatorId), ReadingWindow> _windows = [];
    private Dictionary<string, AlertLifecycle> _lifecycles = [];
    private ILookup<string, AlertLifecycle> _byIndicator = Array.Empty<AlertLifecycle>().ToLookup(l => l.Rule.IndicatorId);
    private List<Silence> _silences = [];

    /// <summary>Rules whose sites' readings could not be read (the store did not answer); the sweep tries again.</summary>
    private readonly HashSet<string> _unread = [];

    /// <summary>Completes once the state has been read back after start.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribe first: a batch committed while the state is read back waits in the queue instead of slipping past.
        using var subscription = feed.SubscribeMany(OnFeedAsync, name: "alerts");
        try
        {
            await RunAsync(InitializeAsync, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Logged by RunAsync; the app keeps serving, and readings and sweeps still evaluate what could be read.
        }
        finally
        {
            _ready.TrySetResult();
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunAsync(SweepAsync, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Logged by RunAsync; the next sweep tries again.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Acknowledges an active alert; the change is pushed to every subscriber.</summary>
    public async Task<(AlertCommandStatus Status, AlertView? Alert)> AcknowledgeAsync(
        Guid id, Acknowledgement acknowledgement, CancellationToken cancellationToken)
    {
        AlertView? view = null;
        var status = AlertCommandStatus.Done;
        await RunAsync(async (changes, now, ct) =>
        {
            var entry = _series.FirstOrDefault(e => e.Value.Active?.Id == id);
            if (entry.Value is null || !_lifecycles.TryGetValue(entry.Key.RuleId, out var lifecycle))
            {
                status = await store.FindAsync(id, ct) is null ? AlertCommandStatus.NotFound : AlertCommandStatus.NotActive;
                return;
            }
            Apply(lifecycle, entry.Key.SiteId, new AcknowledgeInput(acknowledgement), now, changes);
        }, cancellationToken, committed => view = committed.LastOrDefault(v => v.Id == id));
        return (status, view);
    }

    public async Task<AlertCommandStatus> AddSilenceAsync(Silence silence, CancellationToken cancellationToken)
    {
        var status = AlertCommandStatus.Done;
        await RunAsync(async (changes, now, ct) =>
        {
            var covered = ActiveCoveredBy(silence).ToArray();
            if (silence.UntilResolved && covered.Length == 0)
            {
                status = AlertCommandStatus.NothingToSilence;
                return;
            }
            await store.AddSilenceAsync(silence, ct);
            _silences.Add(silence);
            changes.Alerts.AddRange(covered);
        }, cancellationToken);
        return status;
    }

    public async Task<AlertCommandStatus> EndSilenceAsync(Guid id, CancellationToken cancellationToken)
    {
        var status = AlertCommandStatus.Done;
        await RunAsync((changes, now, _) =>
        {
            var silence = _silences.FirstOrDefault(s => s.Id == id);
            if (silence is null) status = AlertCommandStatus.NotFound;
            else End(silence, now, changes);
            return Task.CompletedTask;
        }, cancellationToken);
        return status;
    }

    /// <summary>Re-evaluates after a rule was added, changed, disabled or deleted (already saved in <see cref="AlertRules"/>).</summary>
    public Task RuleChangedAsync(string ruleId, CancellationToken cancellationToken) =>
        RunAsync(async (changes, now, ct) =>
        {
            var before = _lifecycles.GetValueOrDefault(ruleId);
            BuildLifecycles();
            var after = _lifecycles.GetValueOrDefault(ruleId);
            var snapshot = catalog.Current;
            foreach (var key in _series.Keys.Where(k => k.RuleId == ruleId).ToArray())
            {
                var site = snapshot.FindSite(key.SiteId);
                var indicator = after is null ? null : snapshot.FindIndicator(after.Rule.IndicatorId);
                if (after is not null && site is not null && indicator is not null && after.Rule.Covers(site, indicator)) continue;
                Apply(before ?? after!, key.SiteId, WithdrawInput.Instance, now, changes);
                _series.Remove(key);
                changes.Forgotten.Add(key);
            }
            if (after is not null) await ReadLatestAsync([after], changes, now, ct);
        }, cancellationToken);

    private async Task InitializeAsync(Evaluation changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await rules.ReloadAsync(cancellationToken);
        var (active, series, silences) = await store.LoadStateAsync(cancellationToken);
        _silences = [.. silences];
        foreach (var row in series)
        {
            _series[(row.RuleId, row.SiteId)] = new AlertSeries(null, row.Breaching, row.LastReadingAt, row.Flips);
        }
        foreach (var view in active)
        {
            var key = (view.RuleId, view.SiteId);
            _series[key] = _series.GetValueOrDefault(key, AlertSeries.Empty) with { Active = view.ToAlert() };
        }
        BuildLifecycles();

        // Alerts of rules deleted or disabled while the app was down resolve now.
        foreach (var view in active.Where(v => !_lifecycles.ContainsKey(v.RuleId)))
        {
            var orphan = new AlertLifecycle(RuleOf(view), null, options.Value.Flapping);
            Apply(orphan, view.SiteId, WithdrawInput.Instance, now, changes);
        }

        await ReadLatestAsync(_lifecycles.Values, changes, now, cancellationToken);
        Tick(changes, now);
        LogStarted(_lifecycles.Count, active.Count, _silences.Count);
    }

    /// <summary>Every batch waiting is evaluated together: one commit and one push for a burst, in sequence order.</summary>
    private async Task OnFeedAsync(IReadOnlyList<FeedMessage> messages)
    {
        await _ready.Task;
        await RunAsync(async (changes, now, ct) =>
        {
            foreach (var message in messages)
            {
                if (message is FeedBatch batch) await ApplyAsync(batch, changes, now, ct);
                else await ReadLatestAsync(_lifecycles.Values, changes, now, ct);
            }
        }, CancellationToken.None);
    }

    private async Task ApplyAsync(FeedBatch batch, Evaluation changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!batch.IndicatorIds.Any(_byIndicator.Contains)) return;
        var snapshot = catalog.Current;
        foreach (var observation in batch.Observations)
        {
            var watching = _byIndicator[observation.IndicatorId];
            if (!watching.Any() || snapshot.FindSite(observation.SiteId) is not { } site) continue;
            var window = WindowFor(site.Id, observation.IndicatorId, watching);
            if (observation.Voided == true)
            {
                // The reading is withdrawn: the series' condition is its latest remaining reading.
                window?.Set(observation.Timestamp, null);
                var latest = (await observations.LatestAsync(site.Id, cancellationToken)).FirstOrDefault(o => o.IndicatorId == observation.IndicatorId);
                if (latest is null) continue;
                foreach (var lifecycle in Covering(watching, site)) ApplyReading(lifecycle, site.Id, latest, replaces: true, now, changes);
                continue;
            }
            var reading = observation.ToObservation();
            foreach (var lifecycle in Covering(watching, site)) ApplyReading(lifecycle, site.Id, reading, replaces: false, now, changes);
            window?.Set(reading.Timestamp, reading.Value);
        }
    }

    private async Task SweepAsync(Evaluation changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_unread.Count > 0) await ReadLatestAsync(_lifecycles.Values.Where(l => _unread.Contains(l.Rule.Id)).ToArray(), changes, now, cancellationToken);
        Tick(changes, now);
    }

    private void Tick(Evaluation changes, DateTimeOffset now)
    {
        foreach (var key in _series.Keys.ToArray())
        {
            if (_lifecycles.TryGetValue(key.RuleId, out var lifecycle)) Apply(lifecycle, key.SiteId, TickInput.Instance, now, changes);
        }
    }

    /// <summary>
    /// Evaluates the latest stored reading of each covered site for these rules, loading spike baselines first. When
    /// the store does not answer, the rules are remembered and read again on the next sweep.
    /// </summary>
    private async Task ReadLatestAsync(IReadOnlyCollection<AlertLifecycle> lifecycles, Evaluation changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (lifecycles.Count == 0) return;
        var snapshot = catalog.Current;
        var latestBySite = new Dictionary<string, IReadOnlyList<Observation>>(StringComparer.Ordinal);
        try
        {
            foreach (var lifecycle in lifecycles)
            {
                if (snapshot.FindIndicator(lifecycle.Rule.IndicatorId) is not { } indicator) continue;
                foreach (var site in snapshot.Sites.Where(s => lifecycle.Rule.Covers(s, indicator)))
                {
                    if (!latestBySite.TryGetValue(site.Id, out var latest))
                        latestBySite[site.Id] = latest = await observations.LatestAsync(site.Id, cancellationToken);
                    if (latest.FirstOrDefault(o => o.IndicatorId == indicator.Id) is not { } reading) continue;
                    if (lifecycle.Rule.BaselineWindow is { } span && lifecycle.Rule.Operator == RuleOperator.Spike)
                        await LoadWindowAsync(site, indicator, span, reading.Timestamp, cancellationToken);
                    else if (!_series.ContainsKey((lifecycle.Rule.Id, site.Id)))
                        await ReplayAsync(lifecycle, site, indicator, reading.Timestamp, changes, cancellationToken);
                    ApplyReading(lifecycle, site.Id, reading, replaces: true, now, changes);
                }
                _unread.Remove(lifecycle.Rule.Id);
            }
        }
        catch (ObservationStoreUnavailableException ex)
        {
            foreach (var lifecycle in lifecycles) _unread.Add(lifecycle.Rule.Id);
            LogStoreUnavailable(ex);
        }
    }

    /// <summary>
    /// A series seen for the first time (a new rule, a first start) replays its recent readings, so an alert open at the
    /// end carries when its episode really began; episodes that ended within the replay are history, not news.
    /// </summary>
    private async Task ReplayAsync(
        AlertLifecycle lifecycle, Site site, IndicatorDefinition indicator, DateTimeOffset until, Evaluation changes, CancellationToken cancellationToken)
    {
        var points = await observations.QueryAsync(
            new SeriesQuery(site.Id, indicator.Id, until - ReplaySpan, until, MaxPoints: int.MaxValue), indicator.Kind, cancellationToken);
        var readings = points.Select(p => new ReadingInput(p.Timestamp, p.Value, p.State, RuleCondition.Evaluate(lifecycle.Rule, p.Value, p.State)));
        var series = lifecycle.Replay(site.Id, readings);
        var key = (lifecycle.Rule.Id, site.Id);
        _series[key] = series;
        changes.Dirty.Add(key);
        if (series.Active is { } active) changes.Alerts.Add((active, lifecycle.Rule));
    }

    /// <summary>The series' spike baseline history, started empty for a series first seen now; null without spike rules.</summary>
    private ReadingWindow? WindowFor(string siteId, string indicatorId, IEnumerable<AlertLifecycle> watching)
    {
        if (_windows.TryGetValue((siteId, indicatorId), out var window)) return window;
        var span = watching.Where(l => l.Rule.Operator == RuleOperator.Spike).Select(l => l.Rule.BaselineWindow ?? TimeSpan.Zero).DefaultIfEmpty().Max();
        return span > TimeSpan.Zero ? _windows[(siteId, indicatorId)] = new ReadingWindow(span) : null;
    }

    private async Task LoadWindowAsync(Site site, IndicatorDefinition indicator, TimeSpan span, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var key = (site.Id, indicator.Id);
        if (_windows.TryGetValue(key, out var known) && known.Span >= span) return;
        var window = new ReadingWindow(span);
        var points = await observations.QueryAsync(
            new SeriesQuery(site.Id, indicator.Id, until - span, until, MaxPoints: int.MaxValue), indicator.Kind, cancellationToken);
        foreach (var point in points) window.Set(point.Timestamp, point.Value);
        _windows[key] = window;
    }

    private void ApplyReading(AlertLifecycle lifecycle, string siteId, Observation reading, bool replaces, DateTimeOffset now, Evaluation changes)
    {
        var rule = lifecycle.Rule;
        var baseline = rule is { Operator: RuleOperator.Spike, BaselineWindow: { } span }
            ? _windows.GetValueOrDefault((siteId, rule.IndicatorId))?.MedianBefore(reading.Timestamp, span)
            : null;
        var condition = RuleCondition.Evaluate(rule, reading.Value, reading.State, baseline);
        Apply(lifecycle, siteId, new ReadingInput(reading.Timestamp, reading.Value, reading.State, condition, replaces), now, changes);
    }

    private void Apply(AlertLifecycle lifecycle, string siteId, AlertInput input, DateTimeOffset now, Evaluation changes)
    {
        var key = (lifecycle.Rule.Id, siteId);
        var before = _series.GetValueOrDefault(key, AlertSeries.Empty);
        var result = lifecycle.Apply(siteId, before, input, now);
        _series[key] = result.Series;
        changes.Alerts.AddRange(result.Changes.Select(alert => (alert, lifecycle.Rule)));
        if (!Equals(before.Active, result.Series.Active) || before.Breaching != result.Series.Breaching || !ReferenceEquals(before.Flips, result.Series.Flips))
            changes.Dirty.Add(key);
    }

    private IEnumerable<AlertLifecycle> Covering(IEnumerable<AlertLifecycle> lifecycles, Site site)
    {
        var snapshot = catalog.Current;
        return lifecycles.Where(l => snapshot.FindIndicator(l.Rule.IndicatorId) is { } indicator && l.Rule.Covers(site, indicator));
    }

    private void BuildLifecycles()
    {
        var flapping = options.Value.Flapping;
        var snapshot = catalog.Current;
        _lifecycles = rules.Current
            .Where(r => r.Enabled && snapshot.FindIndicator(r.IndicatorId) is not null)
            .ToDictionary(r => r.Id, r => new AlertLifecycle(r, r.NoDataAfter(snapshot.FindIndicator(r.IndicatorId)!), flapping), StringComparer.Ordinal);
        _byIndicator = _lifecycles.Values.ToLookup(l => l.Rule.IndicatorId, StringComparer.Ordinal);

        // Spike baselines: keep as much history per series as the longest window of the indicator's spike rules.
        foreach (var (key, window) in _windows)
        {
            var span = _lifecycles.Values.Where(l => l.Rule.IndicatorId == key.IndicatorId && l.Rule.Operator == RuleOperator.Spike)
                .Select(l => l.Rule.BaselineWindow ?? TimeSpan.Zero).DefaultIfEmpty().Max();
            window.Widen(span);
        }
    }

    /// <summary>Runs one evaluation under the lock, then commits and pushes what it changed.</summary>
    private async Task RunAsync(
        Func<Evaluation, DateTimeOffset, CancellationToken, Task> evaluate, CancellationToken cancellationToken, Action<IReadOnlyList<AlertView>>? committed = null)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var changes = new Evaluation();
            await evaluate(changes, now, cancellationToken);
            EndSilences(changes, now);
            var views = await CommitAsync(changes, now, cancellationToken);
            committed?.Invoke(views);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEvaluationFailed(ex);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<AlertView>> CommitAsync(Evaluation changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty) return [];
        var snapshot = catalog.Current;
        var views = new List<AlertView>(changes.Alerts.Count);
        foreach (var (alert, rule) in changes.Alerts)
        {
            if (snapshot.FindSite(alert.SiteId) is not { } site || snapshot.FindIndicator(rule.IndicatorId) is not { } indicator) continue;
            views.Add(AlertView.Of(alert, rule, site, indicator, IsSilenced(rule.Id, site, now), sequence: 0));
        }
        var series = changes.Dirty.Where(_series.ContainsKey).Select(key => ToRow(key, _series[key])).ToArray();
        var numbered = await store.CommitAsync(new AlertCommit(views, series, changes.Forgotten, changes.EndedSilences), now, cancellationToken);
        await push.PublishAsync(numbered);
        return numbered;
    }

    /// <summary>Silences past their end, or "until resolved" ones with nothing left active, end; their alerts are pushed again.</summary>
    private void EndSilences(Evaluation changes, DateTimeOffset now)
    {
        foreach (var silence in _silences.ToArray())
        {
            var activeAfter = ActiveCoveredBy(silence).Any() || changes.Alerts.Any(c => c.Alert.IsActive && Covers(silence, c.Rule.Id, c.Alert.SiteId));
            if (silence.HasEnded(now) || (silence.UntilResolved && !activeAfter)) End(silence, now, changes);
        }
    }

    private void End(Silence silence, DateTimeOffset now, Evaluation changes)
    {
        _silences.Remove(silence);
        changes.EndedSilences.Add((silence.Id, now));
        changes.Alerts.AddRange(ActiveCoveredBy(silence));
    }

    private IEnumerable<(Alert Alert, AlertRule Rule)> ActiveCoveredBy(Silence silence) =>
        _series.Where(e => e.Value.Active is not null && _lifecycles.ContainsKey(e.Key.RuleId) && Covers(silence, e.Key.RuleId, e.Key.SiteId))
            .Select(e => (e.Value.Active!, _lifecycles[e.Key.RuleId].Rule));

    private bool Covers(Silence silence, string ruleId, string siteId) =>
        catalog.Current.FindSite(siteId) is { } site && silence.Covers(ruleId, site.Id, site.Region);

    private bool IsSilenced(string ruleId, Site site, DateTimeOffset now) =>
        _silences.Any(s => !s.HasEnded(now) && s.Covers(ruleId, site.Id, site.Region));

    private static AlertSeriesRow ToRow((string RuleId, string SiteId) key, AlertSeries series) => new()
    {
        RuleId = key.RuleId, SiteId = key.SiteId, Breaching = series.Breaching, LastReadingAt = series.LastReadingAt,
        Flips = [.. series.Flips],
    };

    /// <summary>A stand-in for a rule that no longer exists, to resolve its alerts under their recorded name and severity.</summary>
    private static AlertRule RuleOf(AlertView view) => new(
        view.RuleId, view.RuleName, view.IndicatorId, null, null, null, null, null, null, null, null, null, view.Severity, Enabled: false);

    /// <summary>What one evaluation changed, committed together.</summary>
    private sealed class Evaluation
    {
        public List<(Alert Alert, AlertRule Rule)> Alerts { get; } = [];
        public HashSet<(string RuleId, string SiteId)> Dirty { get; } = [];
        public List<(string RuleId, string SiteId)> Forgotten { get; } = [];
        public List<(Guid Id, DateTimeOffset EndedAt)> EndedSilences { get; } = [];
        public bool IsEmpty => Alerts.Count == 0 && Dirty.Count == 0 && Forgotten.Count == 0 && EndedSilences.Count == 0;
    }

    [LoggerMessage(LogLevel.Information, "Alerting started: {Rules} enabled rules, {Active} active alerts, {Silences} silences in force.")]
    private partial void LogStarted(int rules, int active, int silences);

    [LoggerMessage(LogLevel.Warning, "The observation store did not answer; alert rules will be evaluated against it on the next sweep.")]
    private partial void LogStoreUnavailable(Exception exception);

    [LoggerMessage(LogLevel.Error, "An alert evaluation failed; its changes were not committed.")]
    private partial void LogEvaluationFailed(Exception exception);
}
