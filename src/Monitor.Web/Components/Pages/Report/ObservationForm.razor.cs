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
/// One observation: a site found by name, region or kind, one of the indicators that apply to it, an input shaped by
/// the indicator, and when, who and why. Checked by the domain's validator (as the API is), then by the plausibility
/// rules, whose warnings the reporter confirms before the reading is sent.
/// </summary>
public sealed partial class ObservationForm : ComponentBase
{
    private Site? _site;
    private IReadOnlyList<IndicatorDefinition> _indicators = [];
    private IndicatorDefinition? _indicator;
    private Observation? _latest;
    private double? _value;
    private string? _state;
    private string? _time;
    private string? _source;
    private string? _note;
    private Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private IReadOnlyList<PlausibilityWarning> _warnings = [];
    private ObservationInput? _warnedFor;
    private Observation? _conflict;
    private ObservationInput? _conflicting;
    private (string Text, bool Queued)? _result;
    private bool _submitting;
    private bool _interactive;

    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private IObservationReader Readings { get; set; } = default!;
    [Inject] private FormSubmissions Submissions { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<MonitorOptions> Options { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The site to start with (from a site page's "Add reading").</summary>
    [Parameter] public string? SiteId { get; set; }

    [Parameter] public string? IndicatorId { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _time = EntryText.FormatTime(Time.GetUtcNow());
        if (SiteId is not null && Catalog.Current.FindSite(SiteId) is { } site)
        {
            await SelectSiteAsync(site);
            if (IndicatorId is not null) await SelectIndicatorAsync(IndicatorId);
        }
    }

    private string? _draftFor;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_indicator is not null && _draftFor != Draft)
        {
            // What was typed for this reading and not sent (the last circuit was lost) comes back, and what is typed now is kept.
            _draftFor = Draft;
            await Submissions.KeepDraftAsync("[data-form='observation']", Draft);
        }
        if (!firstRender) return;
        _interactive = true;
        StateHasChanged();
    }

    private string Draft => $"observation.{_site?.Id}.{_indicator?.Id}";

    private Task<IEnumerable<Site>> SearchSites(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(SiteSearch.Find(Catalog.Current.Sites, text, L));

    private async Task SelectSiteAsync(Site? site)
    {
        _site = site;
        _indicators = site is null ? [] : [.. Catalog.Current.IndicatorsFor(site).OrderBy(i => i.Name, StringComparer.CurrentCulture)];
        var keep = _indicator is not null && _indicators.Contains(_indicator) ? _indicator.Id : null;
        _indicator = null;
        ResetReading();
        _errors.Remove("siteId");
        if (keep is not null) await SelectIndicatorAsync(keep);
        else if (_indicators.Count == 1) await SelectIndicatorAsync(_indicators[0].Id);
    }

    private async Task SelectIndicatorAsync(string? id)
    {
        _indicator = _indicators.FirstOrDefault(i => i.Id == id);
        ResetReading();
        _errors.Remove("indicatorId");
        _latest = await LatestAsync();
        // In the address too, so a page opened again (a lost circuit, a bookmark) starts on the same reading.
        if (_site is null || _indicator is null) return;
        var here = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["site"] = _site.Id, ["indicator"] = _indicator.Id });
        if (here != Navigation.Uri) Navigation.NavigateTo(here, replace: true);
    }

    private void ResetReading()
    {
        _value = null;
        _state = null;
        _latest = null;
        _warnings = [];
        _warnedFor = null;
        _conflict = null;
        _result = null;
    }

    private async Task<Observation?> LatestAsync()
    {
        if (_site is null || _indicator is null) return null;
        try
        {
            return (await Readings.LatestAsync(_site.Id, CancellationToken.None)).FirstOrDefault(o => o.IndicatorId == _indicator.Id);
        }
        catch (ObservationStoreUnavailableException)
        {
            return null;
        }
    }

    private string ValueHelp(IndicatorDefinition indicator)
    {
        var range = indicator is { Min: { } min, Max: { } max } ? L["Report.Range", ReadingText.Value(min, null), ReadingText.Value(max, indicator.Unit)] : null;
        return _latest is null ? range ?? "" : $"{range} · {LastText}".TrimStart(' ', '·');
    }

    private string LastText => _latest is null || _indicator is null
        ? ""
        : L["Report.Last", EntryText.Reading(L, _latest, _indicator), L.Age(_latest.Timestamp, Time.GetUtcNow())];

    private ObservationInput Input() => new(
        _site?.Id, _indicator?.Id,
        _indicator?.Kind == IndicatorKind.Numeric ? _value : null,
        _indicator?.Kind == IndicatorKind.State ? _state : null,
        EntryText.ParseTime(_time),
        string.IsNullOrWhiteSpace(_source) ? null : _source.Trim(),
        string.IsNullOrWhiteSpace(_note) ? null : _note);

    private async Task SubmitAsync()
    {
        if (_submitting) return;
        _ = Submissions.SubmitReachedAsync(Draft); // not awaited: the submit need not wait a round trip for it
        _result = null;
        _conflict = null;
        var input = Input();
        var now = Time.GetUtcNow();

        // The API's own rules decide; the form only words them for a person.
        var validator = new ObservationValidator(Time) { TimestampFloor = Options.Value.TimestampFloor };
        var outcome = validator.Validate([input with { Timestamp = input.Timestamp ?? DateTimeOffset.MinValue }], Catalog.Current);
        _errors = outcome.Errors.ToDictionary(
            e => EntryText.Field(e.Key),
            e => EntryText.Error(L, EntryText.Field(e.Key), _indicator, input.Timestamp, now, Options.Value.TimestampFloor, string.Join(" ", e.Value)),
            StringComparer.Ordinal);
        if (input.Timestamp is null) _errors["timestamp"] = L["Report.Error.Time"];
        if (_errors.Count > 0) return;

        var observation = outcome.Observations[0];
        var warnings = Plausibility.Check(_indicator!, observation.Value, observation.Timestamp, _latest);
        if (warnings.Count > 0 && _warnedFor != input)
        {
            // Shown once for what was typed; submitting the same again is the reporter's confirmation.
            _warnings = warnings;
            _warnedFor = input;
            return;
        }

        _submitting = true;
        try
        {
            var confirmed = warnings.Select(w => EntryText.Confirmation(w, observation)).ToArray();
            var submission = Submissions.NewSubmission([input], confirmed);
            var result = await Submissions.SubmitAsync(submission);
            await ShowAsync(result, input, observation);
        }
        finally
        {
            _submitting = false;
        }
    }

    private async Task ShowAsync(Submission? result, ObservationInput input, Observation observation)
    {
        _warnings = [];
        _warnedFor = null;
        switch (result)
        {
            case null:
                _result = (L["Report.QueuedOne"], true);
                break;
            case { Status: SubmissionStatus.Accepted }:
                await Submissions.ClearDraftAsync(Draft);
                _result = (L["Report.Recorded", EntryText.Reading(L, observation, _indicator!), _indicator!.Name, _site!.Name, L.Timestamp(observation.Timestamp)], false);
                _latest = observation.Timestamp >= (_latest?.Timestamp ?? DateTimeOffset.MinValue) ? observation : _latest;
                _value = null;
                _state = null;
                _note = null;
                _time = EntryText.FormatTime(Time.GetUtcNow());
                break;
            case { Status: SubmissionStatus.Conflict }:
                _conflicting = input;
                _conflict = await RecordedAsync(observation.Key) ?? observation with { Value = null, State = null };
                break;
            default:
                _errors = result.Errors.ToDictionary(e => EntryText.Field(e.Key), e => string.Join(" ", e.Value), StringComparer.Ordinal);
                break;
        }
    }

    /// <summary>What is recorded where the form tried to add a reading.</summary>
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

    private async Task CorrectInsteadAsync()
    {
        if (_conflicting is not { } input || _site is null || _indicator is null) return;
        if (await Dialogs.CorrectAsync(L, _site, _indicator, input.Timestamp!.Value, _conflict, input.Value, input.State) is { } text)
        {
            _conflict = null;
            _conflicting = null;
            _result = (text, false);
        }
    }
}
