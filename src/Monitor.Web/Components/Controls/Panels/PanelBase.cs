using Microsoft.AspNetCore.Components;
using Monitor.Domain.Catalog;
using Monitor.Web.Components.Controls.Live;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Components.Controls.Panels;

/// <summary>
/// What every panel shares: one indicator for a list of sites over a range, data loaded again whenever one of those
/// changes, and live observations of its (site, indicator) pairs applied as they are stored.
/// </summary>
public abstract class PanelBase : ComponentBase, IDisposable
{
    private LiveObservations? _live;
    private (string Indicator, string Sites, ResolvedRange? Range) _loadedFor;
    private volatile IndicatorAndSites _shown = new("", new HashSet<string>(StringComparer.Ordinal));

    [Inject] protected IObservationReader Store { get; set; } = default!;
    [Inject] protected ObservationFeed Feed { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired] public IndicatorDefinition Indicator { get; set; } = default!;
    [Parameter, EditorRequired] public IReadOnlyList<Site> Sites { get; set; } = [];
    [Parameter, EditorRequired] public ResolvedRange Range { get; set; } = default!;

    /// <summary>Set when the store could not answer; the panel says so instead of showing stale or empty data.</summary>
    protected bool Unavailable { get; private set; }

    protected bool Loading { get; private set; } = true;

    protected override void OnInitialized() =>
        _live = new LiveObservations(Feed, Concerns, burst => InvokeAsync(() => ApplyLiveAsync(burst)), () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));

    protected override async Task OnParametersSetAsync()
    {
        var key = (Indicator.Id, string.Join('\n', Sites.Select(s => s.Id)), (ResolvedRange?)Range);
        if (key == _loadedFor) return;
        _loadedFor = key;
        _shown = new IndicatorAndSites(Indicator.Id, Sites.Select(s => s.Id).ToHashSet(StringComparer.Ordinal));

        Loading = true;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        try
        {
            await LoadAsync();
            Unavailable = false;
        }
        catch (ObservationStoreUnavailableException)
        {
            Unavailable = true;
        }
        finally
        {
            Loading = false;
        }
    }

    /// <summary>Loads everything the panel shows for the current parameters.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Applies readings of the panel's own (site, indicator) pairs, newest last, as they are stored.</summary>
    protected abstract Task ApplyAsync(IReadOnlyList<RecordedObservation> observations);

    private bool Concerns(RecordedObservation observation)
    {
        var shown = _shown;
        return observation.IndicatorId == shown.Indicator && shown.Sites.Contains(observation.SiteId);
    }

    private async Task ApplyLiveAsync(IReadOnlyList<RecordedObservation> burst)
    {
        if (Loading || Unavailable) return;
        await ApplyAsync([.. burst.Where(Concerns).OrderBy(o => o.Timestamp)]);
    }

    public void Dispose()
    {
        _live?.Dispose();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed record IndicatorAndSites(string Indicator, IReadOnlySet<string> Sites);
}
