using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Controls.Charts;
using Monitor.Web.Components.Pages.Report;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Resources;
using MudBlazor;
using ChartOptions = Monitor.Web.Components.Controls.Charts.ChartOptions;
using Severity = MudBlazor.Severity;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>
/// A numeric indicator as a line chart, one series per site, downsampled by the store; the thresholds of the rules
/// that watch these sites drawn as lines, and their alert episodes in the range as shaded bands, redrawn as alerts change.
/// A click on a point opens that reading's history, from which a reporter corrects or voids it.
/// </summary>
public sealed class ChartPanel : SeriesPanel
{
    /// <summary>Bands beyond this would hide the lines; the newest are kept.</summary>
    public const int MaxEpisodes = 200;

    private ChartMarks _marks = ChartMarks.None;
    private IDisposable? _alertChanges;
    private int _redraws;

    [Inject] private AlertRules Rules { get; set; } = default!;
    [Inject] private AlertStore Alerts { get; set; } = default!;
    [Inject] private AlertPush Push { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<Strings> L { get; set; } = default!;

    protected override IndicatorKind Kind => IndicatorKind.Numeric;

    protected override string SkeletonHeight => "300px";

    protected override void OnInitialized()
    {
        base.OnInitialized();
        _alertChanges = Push.Subscribe(change =>
        {
            if (change.IndicatorId != Indicator.Id || !Sites.Any(s => s.Id == change.SiteId)) return;
            _ = InvokeAsync(RedrawMarksAsync);
        });
    }

    protected override SeriesPoint? PointOf(RecordedObservation o) =>
        o.Value is { } value ? new SeriesPoint(o.Timestamp, value, Source: o.Source, Note: o.Note) : null;

    // Within the axis the series just grows; only a reading past its end needs a new axis.
    protected override bool StretchesAxis(DateTimeOffset newest) => newest > Axis.To;

    protected override JsonObject Options() => ChartOptions.Line(Indicator, Lines(), Axis, Texts(), _marks);

    protected override JsonArray Series() => ChartOptions.LineSeries(Lines());

    protected override async Task LoadMarksAsync()
    {
        var rules = Rules.Current
            .Where(r => r.Enabled && r.IndicatorId == Indicator.Id && r.Operator is RuleOperator.Below or RuleOperator.Above && r.Threshold is not null)
            .Where(r => Sites.Any(s => r.Covers(s, Indicator)))
            .ToArray();
        var episodes = await Alerts.EpisodesAsync([.. Sites.Select(s => s.Id)], Indicator.Id, Range.From, Range.To, MaxEpisodes, CancellationToken.None);
        // A pending episode that cleared never fired: nothing happened worth shading.
        _marks = new ChartMarks(rules, [.. episodes.Where(e => e.FiredAt is not null || e.IsActive)]);
    }

    /// <summary>Alerts arrive in bursts (one change each): the marks are read again once per burst, not per change.</summary>
    private async Task RedrawMarksAsync()
    {
        if (Interlocked.Increment(ref _redraws) > 1) return;
        try
        {
            do
            {
                Volatile.Write(ref _redraws, 1);
                await LoadMarksAsync();
            }
            while (Interlocked.CompareExchange(ref _redraws, 0, 1) != 1);
            RedrawOptions();
        }
        catch
        {
            Volatile.Write(ref _redraws, 0);
            throw;
        }
    }

    protected override EventCallback<ChartPointPick> PointPicked => EventCallback.Factory.Create<ChartPointPick>(this, OpenReadingAsync);

    private async Task OpenReadingAsync(ChartPointPick pick)
    {
        if (pick.Series < 0 || pick.Series >= Sites.Count) return;
        var site = Sites[pick.Series];
        if (PointsOf(site).FirstOrDefault(p => p.Timestamp == pick.At) is not { } point) return;
        if (point.Count > 1)
        {
            // A downsampled point stands for several readings: none of them is the one clicked.
            Snackbar.Add(L["Chart.PointIsSummary", point.Count], Severity.Info);
            return;
        }
        if (await Dialogs.ShowHistoryAsync(L, site, Indicator, point.Timestamp, offerCorrection: true) is { } text) Snackbar.Add(text, Severity.Success);
    }

    protected override void Dispose(bool disposing) => _alertChanges?.Dispose();

    private List<(Site Site, IReadOnlyList<SeriesPoint> Points)> Lines() => [.. Sites.Select(site => (site, PointsOf(site)))];
}
