using Microsoft.AspNetCore.Components;
using Monitor.Web.Components.Controls.Live;
using Monitor.Web.Components.Controls.TimeRanges;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Feed;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Components.Pages;

/// <summary>
/// A page shown over a time range kept in the address (<c>?range=&amp;from=&amp;to=</c>): it resolves the range against
/// the data the store holds (anchoring on the newest data when that is older than the range) and follows live readings.
/// </summary>
public abstract class RangedPage : ComponentBase, IDisposable
{
    private volatile ResolvedRange? _range;

    [Inject] protected IObservationReader Store { get; set; } = default!;
    [Inject] protected ObservationFeed Feed { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "range")] public string? RangeKey { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromKey { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToKey { get; set; }

    protected TimeRangeSelection Selection { get; private set; } = TimeRangeSelection.Default;

    /// <summary>Read from the feed's thread as well as the renderer's, hence volatile.</summary>
    protected ResolvedRange? Range => _range;

    protected bool StoreUnavailable { get; private set; }

    private LiveObservations? _live;

    protected void ParseSelection() => Selection = TimeRangeSelection.Parse(RangeKey, FromKey, ToKey);

    /// <summary>While the range is anchored on old data, a newer reading the page shows moves it forward.</summary>
    protected void FollowNewerReadings(Func<RecordedObservation, bool> shownOnThisPage) =>
        _live = new LiveObservations(
            Feed,
            o => _range is { AnchoredOnLatest: true } range && o.Timestamp > range.To && shownOnThisPage(o),
            _ => InvokeAsync(FollowAsync),
            () => InvokeAsync(FollowAsync));

    private async Task FollowAsync()
    {
        await ResolveRangeAsync();
        StateHasChanged();
    }

    protected async Task ResolveRangeAsync()
    {
        ObservationExtent? extent = null;
        try
        {
            extent = await Store.ExtentAsync(CancellationToken.None);
            StoreUnavailable = false;
        }
        catch (ObservationStoreUnavailableException)
        {
            StoreUnavailable = true;
        }
        _range = Selection.Resolve(extent, Time.GetUtcNow());
    }

    protected void OnSelectionChanged(TimeRangeSelection selection) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["range"] = selection.Key,
            ["from"] = selection.FromKey,
            ["to"] = selection.ToKey,
        }));

    public void Dispose()
    {
        _live?.Dispose();
        GC.SuppressFinalize(this);
    }
}
