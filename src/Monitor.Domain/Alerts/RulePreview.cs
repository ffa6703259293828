using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Alerts;

/// <summary>An episode a rule raised (or would have raised) at one site; <see cref="Peak"/> is its worst reading.</summary>
public sealed record AlertEpisode(string SiteId, DateTimeOffset StartedAt, DateTimeOffset? FiredAt, DateTimeOffset? ResolvedAt, double? Peak, string? PeakState, bool NoData);

/// <summary>
/// Replays a site's stored readings through the same lifecycle the live engine runs, so a coordinator sees before
/// saving what a rule would have raised: each reading is preceded by a tick at its time (pending periods and missing
/// reports run out between readings), and the replay ends with a tick at <c>to</c>.
/// </summary>
public static class RulePreview
{
    public static IReadOnlyList<AlertEpisode> Replay(
        AlertRule rule, IndicatorDefinition indicator, string siteId, IEnumerable<Observation> readings, DateTimeOffset to, FlappingSettings flapping)
    {
        var lifecycle = new AlertLifecycle(rule, rule.NoDataAfter(indicator), flapping);
        var window = rule.BaselineWindow is { } span ? new ReadingWindow(span) : null;
        var episodes = new Dictionary<Guid, AlertEpisode>();
        var series = AlertSeries.Empty;

        foreach (var reading in readings.OrderBy(r => r.Timestamp))
        {
            if (reading.Timestamp > to) break;
            series = Record(lifecycle.Apply(siteId, series, TickInput.Instance, reading.Timestamp), episodes);
            var baseline = window?.MedianBefore(reading.Timestamp, rule.BaselineWindow!.Value);
            var condition = RuleCondition.Evaluate(rule, reading.Value, reading.State, baseline);
            series = Record(lifecycle.Apply(siteId, series, new ReadingInput(reading.Timestamp, reading.Value, reading.State, condition), reading.Timestamp), episodes);
            window?.Set(reading.Timestamp, reading.Value);
            if (series.Active is { } active) episodes[active.Id] = WithPeak(episodes[active.Id], rule, reading);
        }
        Record(lifecycle.Apply(siteId, series, TickInput.Instance, to), episodes);

        return episodes.Values.OrderBy(e => e.StartedAt).ToArray();
    }

    private static AlertSeries Record(LifecycleResult result, Dictionary<Guid, AlertEpisode> episodes)
    {
        foreach (var alert in result.Changes)
        {
            episodes[alert.Id] = episodes.TryGetValue(alert.Id, out var known)
                ? known with { FiredAt = alert.FiredAt, ResolvedAt = alert.ResolvedAt }
                : new AlertEpisode(alert.SiteId, alert.StartedAt, alert.FiredAt, alert.ResolvedAt, alert.Value, alert.State, alert.NoData);
        }
        return result.Series;
    }

    private static AlertEpisode WithPeak(AlertEpisode episode, AlertRule rule, Observation reading)
    {
        if (episode.NoData) return episode;
        if (reading.Value is not { } value) return episode with { PeakState = episode.PeakState ?? reading.State };
        var worse = episode.Peak is not { } peak
            || (rule.Operator == RuleOperator.Below ? value < peak : value > peak);
        return worse ? episode with { Peak = value } : episode;
    }
}
