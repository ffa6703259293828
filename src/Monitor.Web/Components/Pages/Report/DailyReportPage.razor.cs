using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Forms;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Report;

/// <summary>
/// A site's daily report: every indicator that applies to it in one grid, prefilled with its latest reading and how
/// old that is, sent as one batch. Plain form semantics keep it usable by keyboard alone: Tab walks the inputs in
/// order and Enter in any of them submits.
/// </summary>
public sealed partial class DailyReportPage : ComponentBase
{
    private Site? _site;
    private IReadOnlyList<DailyRow> _rows = [];
    private string? _time;
    private string? _source;
    private string? _timeError;
    private string? _sourceError;
    private string? _error;
    private (string Text, bool Queued)? _result;
    private IReadOnlyList<ObservationInput>? _warnedFor;
    private bool _submitting;
    private bool _interactive;

    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private IObservationReader Readings { get; set; } = default!;
    [Inject] private FormSubmissions Submissions { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<MonitorOptions> Options { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "site")] public string? SiteId { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _time = EntryText.FormatTime(Time.GetUtcNow());
        if (SiteId is not null && Catalog.Current.FindSite(SiteId) is { } site) await SelectSiteAsync(site);
    }

    private string? _draftFor;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_site is not null && _draftFor != _site.Id)
        {
            // What was typed for this site and not sent (the last circuit was lost) comes back, and what is typed now is kept.
            _draftFor = _site.Id;
            await Submissions.KeepDraftAsync("[data-form='daily']", Draft);
        }
        if (!firstRender) return;
        _interactive = true;
        StateHasChanged();
    }

    private string Draft => "daily." + _site?.Id;

    private Task<IEnumerable<Site>> SearchSites(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(SiteSearch.Find(Catalog.Current.Sites, text, L));

    private async Task SelectSiteAsync(Site? site)
    {
        _site = site;
        _result = null;
        _error = null;
        _warnedFor = null;
        await LoadRowsAsync();
    }

    private async Task LoadRowsAsync()
    {
        if (_site is null)
        {
            _rows = [];
            return;
        }
        IReadOnlyList<Observation> latest = [];
        try
        {
            latest = await Readings.LatestAsync(_site.Id, CancellationToken.None);
        }
        catch (ObservationStoreUnavailableException)
        {
            _error = L["Panel.Unavailable"];
        }
        _rows = Catalog.Current.IndicatorsFor(_site)
            .OrderBy(i => i.Kind).ThenBy(i => i.Name, StringComparer.CurrentCulture)
            .Select(indicator => new DailyRow(indicator, latest.FirstOrDefault(o => o.IndicatorId == indicator.Id)))
            .ToArray();
    }

    private async Task SubmitAsync()
    {
        if (_submitting || _site is null) return;
        _ = Submissions.SubmitReachedAsync(Draft); // not awaited: the submit need not wait a round trip for it
        _result = null;
        _error = null;
        _timeError = null;
        _sourceError = null;
        foreach (var row in _rows) row.Clear();

        var timestamp = EntryText.ParseTime(_time);
        var source = string.IsNullOrWhiteSpace(_source) ? null : _source.Trim();
        var sent = _rows.Where(r => r.HasReading).ToArray();
        var inputs = sent.Select(r => new ObservationInput(_site.Id, r.Indicator.Id, r.Value, r.State, timestamp, source)).ToArray();
        if (timestamp is null) _timeError = L["Report.Error.Time"];
        if (inputs.Length == 0) _error = L["Daily.Empty"];
        if (_timeError is not null || _error is not null) return;

        var now = Time.GetUtcNow();
        var validator = new ObservationValidator(Time) { TimestampFloor = Options.Value.TimestampFloor };
        var outcome = validator.Validate(inputs, Catalog.Current);
        foreach (var (key, messages) in outcome.Errors)
        {
            var field = EntryText.Field(key);
            var text = EntryText.Error(L, field, EntryText.Index(key) is var i and >= 0 ? sent[i].Indicator : null, timestamp, now,
                Options.Value.TimestampFloor, string.Join(" ", messages));
            if (field == "timestamp") _timeError = text;
            else if (field == "source") _sourceError = text;
            else if (EntryText.Index(key) is var index and >= 0) sent[index].Error = text;
            else _error = text;
        }
        if (!outcome.IsValid) return;

        var confirmed = new List<string>();
        for (var i = 0; i < sent.Length; i++)
        {
            sent[i].Warnings = Plausibility.Check(sent[i].Indicator, outcome.Observations[i].Value, outcome.Observations[i].Timestamp, sent[i].Latest);
            confirmed.AddRange(sent[i].Warnings.Select(w => EntryText.Confirmation(w, outcome.Observations[i])));
        }
        if (confirmed.Count > 0 && (_warnedFor is null || !_warnedFor.SequenceEqual(inputs)))
        {
            // Shown once for what was typed; submitting the same again is the reporter's confirmation.
            _warnedFor = inputs;
            return;
        }

        _submitting = true;
        try
        {
            var result = await Submissions.SubmitAsync(Submissions.NewSubmission(inputs, confirmed));
            foreach (var row in _rows) row.Warnings = [];
            _warnedFor = null;
            switch (result)
            {
                case null:
                    _result = (L["Report.QueuedMany", inputs.Length], true);
                    break;
                case { Status: SubmissionStatus.Accepted }:
                    await Submissions.ClearDraftAsync(Draft);
                    _result = (L["Daily.Recorded", inputs.Length, _site.Name, L.Timestamp(outcome.Observations[0].Timestamp)], false);
                    await LoadRowsAsync();
                    _time = EntryText.FormatTime(Time.GetUtcNow());
                    break;
                case { Status: SubmissionStatus.Conflict }:
                    foreach (var key in result.Errors.Keys)
                    {
                        if (EntryText.Index(key) is var index and >= 0)
                        {
                            var row = sent[index];
                            row.Conflict = await RecordedAsync(outcome.Observations[index].Key) ?? outcome.Observations[index] with { Value = null, State = null };
                            row.ConflictAt = outcome.Observations[index].Timestamp;
                        }
                    }
                    _error = L["Daily.Conflict"];
                    break;
                default:
                    _error = string.Join(" ", result.Errors.SelectMany(e => e.Value));
                    break;
            }
        }
        finally
        {
            _submitting = false;
        }
    }

    private async Task<Observation?> RecordedAsync(ObservationKey key)
    {
        try
        {
            return (await Readings.HistoryAsync(key, CancellationToken.None)).LastOrDefault(v => !v.Voided)?.Reading;
        }
        catch (ObservationStoreUnavailableException)
        {
            return null;
        }
    }

    private async Task CorrectInsteadAsync(DailyRow row)
    {
        if (_site is null || row.ConflictAt is not { } at) return;
        if (await Dialogs.CorrectAsync(L, _site, row.Indicator, at, row.Conflict, row.Value, row.State) is { } text)
        {
            row.Conflict = null;
            row.ConflictAt = null;
            _result = (text, false);
            if (_rows.All(r => r.Conflict is null)) _error = null;
        }
    }

    /// <summary>One indicator of the grid: its latest reading, what the reporter enters now, and what came back.</summary>
    private sealed class DailyRow(IndicatorDefinition indicator, Observation? latest)
    {
        public IndicatorDefinition Indicator { get; } = indicator;
        public Observation? Latest { get; } = latest;
        public double? Value { get; set; } = latest?.Value;
        public string? State { get; set; } = latest?.State;
        public string? Error { get; set; }
        public IReadOnlyList<PlausibilityWarning> Warnings { get; set; } = [];
        public Observation? Conflict { get; set; }
        public DateTimeOffset? ConflictAt { get; set; }

        public bool HasReading => Indicator.Kind == IndicatorKind.Numeric ? Value is not null : !string.IsNullOrEmpty(State);

        public void Clear()
        {
            Error = null;
            Conflict = null;
            ConflictAt = null;
        }
    }
}
