using System.Runtime.CompilerServices;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Outbox;

/// <summary>
/// For each series, the spans of time within which a reading may already be recorded (stored or queued). A reading
/// outside every span of its series cannot collide with history, so the history guard asks InfluxDB only about the
/// readings that fall inside one (backdated or re-sent ones), and ordinary reports are accepted without a round trip,
/// also during an outage. So is a load of history from several clients at once, whose batches commit out of order:
/// with one horizon per series (its newest reading) every batch committed after a later one was asked about.
/// </summary>
/// <remarks>
/// Everything up to the store's newest reading of a series is one span, known once the store has answered; until then
/// every reading counts as possibly recorded. Each committed batch adds, per series, the span from its oldest to its
/// newest reading. A span may cover times that hold no reading, which costs a query and never lets a collision through,
/// so overlapping spans are merged, and past <see cref="MaxSpansPerSeries"/> the two closest are. Assumes this app is
/// the only writer of its database, as docs/influxdb-schema.md says.
/// </remarks>
public sealed class RecordedSpans
{
    /// <summary>Spans kept per series; a load written in order fills one span, out-of-order loads a few.</summary>
    public const int MaxSpansPerSeries = 16;

    private readonly Lock _gate = new();
    private readonly SeriesTable<List<Span>> _spans = new();

    // The span of each series in the batch being recorded, reused from batch to batch.
    private readonly SeriesTable<StrongBox<Span>> _covered = new();

    public bool IsKnown { get; private set; }

    /// <summary>
    /// The keys of a batch's readings that are not queued (<paramref name="queued"/> null at their index, or empty when
    /// none is) and at which a reading might already exist, under one lock; usually none, and then nothing is allocated.
    /// </summary>
    public IReadOnlyList<ObservationKey> MayExist(IReadOnlyList<Observation> readings, IReadOnlyList<PendingChange?> queued)
    {
        List<ObservationKey>? found = null;
        lock (_gate)
        {
            for (var i = 0; i < readings.Count; i++)
            {
                if (queued.Count > 0 && queued[i] is not null) continue;
                var reading = readings[i];
                if (IsKnown && !Covers(reading.SiteId, reading.IndicatorId, reading.Timestamp.UtcTicks)) continue;
                (found ??= []).Add(reading.Key);
            }
        }
        return found ?? (IReadOnlyList<ObservationKey>)[];
    }

    /// <summary>Adds the span each series' readings in the changes cover (voids withdraw a reading, and so do not count).</summary>
    public void Record(IReadOnlyList<ObservationChange> changes)
    {
        lock (_gate)
        {
            _covered.Clear();
            foreach (var change in changes)
            {
                if (change.Kind == ChangeKind.Void) continue;
                var ticks = change.Reading.Timestamp.UtcTicks;
                if (_covered.Find(change.Reading.SiteId, change.Reading.IndicatorId) is { } covered)
                    covered.Value = new Span(Math.Min(covered.Value.From, ticks), Math.Max(covered.Value.To, ticks));
                else
                    _covered.Add(change.Reading.SiteId, change.Reading.IndicatorId, new StrongBox<Span>(new Span(ticks, ticks)));
            }
            foreach (var (series, covered) in _covered.All) Add(series, covered.Value);
        }
    }

    /// <summary>Merges in the store's newest timestamps (everything up to them may be recorded); from then on the spans are known.</summary>
    public void Load(IReadOnlyDictionary<SeriesKey, DateTimeOffset> stored)
    {
        lock (_gate)
        {
            foreach (var (series, newest) in stored) Add(series, new Span(long.MinValue, newest.UtcTicks));
            IsKnown = true;
        }
    }

    private bool Covers(string siteId, string indicatorId, long ticks)
    {
        if (_spans.Find(siteId, indicatorId) is not { } spans) return false;
        foreach (var span in spans)
        {
            if (ticks < span.From) return false;
            if (ticks <= span.To) return true;
        }
        return false;
    }

    /// <summary>Inserts a span in order, merged with those it overlaps; past the limit the two closest spans become one.</summary>
    private void Add(SeriesKey series, Span span)
    {
        var spans = _spans.Find(series.SiteId, series.IndicatorId) ?? _spans.Add(series.SiteId, series.IndicatorId, []);
        var first = 0;
        while (first < spans.Count && spans[first].To < span.From) first++;
        var end = first;
        while (end < spans.Count && spans[end].From <= span.To)
        {
            span = new Span(Math.Min(span.From, spans[end].From), Math.Max(span.To, spans[end].To));
            end++;
        }
        spans.RemoveRange(first, end - first);
        spans.Insert(first, span);
        if (spans.Count <= MaxSpansPerSeries) return;

        var closest = 0;
        for (var i = 1; i < spans.Count - 1; i++)
        {
            if (spans[i + 1].From - spans[i].To < spans[closest + 1].From - spans[closest].To) closest = i;
        }
        spans[closest] = new Span(spans[closest].From, spans[closest + 1].To);
        spans.RemoveAt(closest + 1);
    }

    /// <summary>From and to, inclusive, in UTC ticks.</summary>
    private readonly record struct Span(long From, long To);
}
