using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Monitor.Domain.Alerts;
using Monitor.Domain.Catalog;
using Monitor.Web.Alerts;
using Monitor.Web.Catalog;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Rules;

/// <summary>
/// Creates or edits a rule. The form is shaped by the indicator (numbers: thresholds in its unit, or a spike over a
/// baseline; states: a choice among its states; any: missing reports), checked as it is filled in by the same
/// validation the API uses (each message under its input, in the form's words), and previewed against stored history
/// before it is saved.
/// </summary>
public sealed partial class RuleEditor : ComponentBase
{
    private RuleForm _form = new();
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private bool _submitted;
    private bool _busy;
    private bool _previewing;
    private bool _previewStale;
    private string? _saveError;
    private PreviewResult? _preview;
    private bool _opened;
    private string? _openedId;

    [Inject] private AlertCommands Commands { get; set; } = default!;
    [Inject] private ClientAddress Client { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private IObservationReader Store { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The rule to edit; none for a new one.</summary>
    [Parameter] public AlertRule? Rule { get; set; }

    /// <summary>Called with the saved rule, or with null when the editor is closed without saving.</summary>
    [Parameter] public EventCallback<AlertRule?> OnClosed { get; set; }

    private IndicatorDefinition? Indicator => _form.IndicatorId is { } id ? Catalog.Current.FindIndicator(id) : null;

    /// <summary>The sites the chosen indicator is reported at (all sites before one is chosen).</summary>
    private IReadOnlyList<Site> Sites
    {
        get
        {
            var catalog = Catalog.Current;
            var indicator = Indicator;
            return [.. catalog.Sites.Where(s => indicator is null || indicator.AppliesTo(s)).OrderBy(s => s.Name, StringComparer.CurrentCulture)];
        }
    }

    private IReadOnlyList<string> Regions => [.. Sites.Select(s => s.Region).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.CurrentCulture)];

    protected override void OnParametersSet()
    {
        // The page around re-renders on every alert change: only another rule starts the form afresh.
        if (_opened && Rule?.Id == _openedId) return;
        _opened = true;
        _openedId = Rule?.Id;
        _form = Rule is null ? new RuleForm() : RuleForm.From(Rule);
        _touched.Clear();
        _submitted = false;
        _preview = null;
        _saveError = null;
        Validate();
    }

    private void Change(string field, Action apply)
    {
        apply();
        _touched.Add(field);
        _saveError = null;
        if (_preview is not null) _previewStale = true;
        Validate();
    }

    private void Toggle(string state, bool on)
    {
        if (on) _form.States.Add(state);
        else _form.States.Remove(state);
    }

    /// <summary>The rule as the API would receive it, checked by <see cref="AlertCommands.ToRule"/>; the scope choice is the form's own.</summary>
    private RuleInput Validate()
    {
        var input = _form.ToInput(Rule?.Id, Indicator);
        var errors = Commands.ToRule(input, Rule?.Id ?? "new").Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (_form.Scope == RuleScope.Site && string.IsNullOrEmpty(_form.SiteId)) errors["siteId"] = [L["Rules.Error.ChooseSite"]];
        if (_form.Scope == RuleScope.Region && string.IsNullOrEmpty(_form.Region)) errors["region"] = [L["Rules.Error.ChooseRegion"]];
        _errors = errors;
        return input;
    }

    /// <summary>Errors show under an input once it has been changed, and under every input once the rule was submitted.</summary>
    private string? ErrorOf(string field) =>
        (_submitted || _touched.Contains(field) || (field == "operator" && _touched.Contains("indicatorId"))) && _errors.TryGetValue(field, out var messages)
            ? string.Join(" ", messages.Select(m => RuleWords.Explain(field, m)))
            : null;

    private bool Has(string field) => ErrorOf(field) is not null;

    private async Task PreviewAsync()
    {
        _submitted = true;
        var input = Validate();
        if (_errors.Count > 0) return;

        _previewing = true;
        try
        {
            var result = await Commands.PreviewAsync(input, null, null, CancellationToken.None);
            var extent = await Store.ExtentAsync(CancellationToken.None);
            if (result.Value is not { } episodes)
            {
                _errors = result.Errors;
                return;
            }
            var to = extent?.Last ?? DateTimeOffset.UnixEpoch;
            var from = extent is null ? to : extent.First > to - AlertCommands.MaxPreviewRange ? extent.First : to - AlertCommands.MaxPreviewRange;
            _preview = new PreviewResult(episodes, from, to);
            _previewStale = false;
        }
        catch (ObservationStoreUnavailableException)
        {
            _saveError = L["Rules.Preview.Unavailable"];
        }
        finally
        {
            _previewing = false;
        }
    }

    private async Task SaveAsync()
    {
        _submitted = true;
        var input = Validate();
        if (_errors.Count > 0) return;

        _busy = true;
        try
        {
            var by = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = Rule is null
                ? await Commands.CreateRuleAsync(input, by, Client.Value, CancellationToken.None)
                : await Commands.UpdateRuleAsync(Rule.Id, input, by, Client.Value, CancellationToken.None);
            if (result.Value is { } saved)
            {
                Snackbar.Add(L["Rules.Saved", saved.Name], MudBlazor.Severity.Success);
                await OnClosed.InvokeAsync(saved);
                return;
            }
            _errors = result.Errors;
            _saveError = result.Errors.Keys.Any(IsFormField) ? null : string.Join(" ", result.Errors.SelectMany(e => e.Value.Select(m => RuleWords.Explain(e.Key, m))));
        }
        finally
        {
            _busy = false;
        }
    }

    private Task CancelAsync() => OnClosed.InvokeAsync(null);

    private static bool IsFormField(string field) =>
        field is "name" or "indicatorId" or "siteId" or "region" or "operator" or "threshold" or "clearThreshold" or "states" or "baselineWindow"
            or "for" or "staleAfter" or "severity";

    private string IndicatorLabel(string? id)
    {
        if (id is null || Catalog.Current.FindIndicator(id) is not { } indicator) return id ?? "";
        return indicator.Kind == IndicatorKind.Numeric && indicator.Unit is { } unit ? $"{indicator.Name} ({unit})" : indicator.Name;
    }

    private string? RangeText(IndicatorDefinition indicator) => (indicator.Min, indicator.Max) switch
    {
        ({ } min, { } max) => L["Rules.Field.Range", RuleWords.Value(min, indicator.Unit), RuleWords.Value(max, indicator.Unit)].Value,
        ({ } min, null) => L["Rules.Field.AtLeast", RuleWords.Value(min, indicator.Unit)].Value,
        _ => null,
    };

    private sealed record PreviewResult(IReadOnlyList<EpisodeView> Episodes, DateTimeOffset From, DateTimeOffset To);
}
