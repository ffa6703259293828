using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Monitor.Web.Components.Controls.Charts;

/// <summary>A point of a chart someone clicked: the index of its series and its time.</summary>
public sealed record ChartPointPick(int Series, DateTimeOffset At);

/// <summary>
/// One ApexCharts chart. It is created from <see cref="Options"/> after the first render, follows later
/// <see cref="Options"/> with an in-place update, takes live data through <see cref="UpdateSeriesAsync"/>, and is
/// destroyed with the component, so a browser tab kept open for days while people move between pages holds no
/// stale charts.
/// </summary>
public sealed partial class ApexChart : ComponentBase, IAsyncDisposable
{
    public const string ModulePath = "./Components/Controls/Charts/ApexChart.razor.js";

    private ElementReference _element;
    private IJSObjectReference? _module;
    private JsonObject? _shownOptions;
    private bool _created;
    private bool _disposed;
    private DotNetObjectReference<ApexChart>? _self;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Complete ApexCharts options, series included (see <see cref="ChartOptions"/>).</summary>
    [Parameter, EditorRequired] public JsonObject Options { get; set; } = default!;

    [Parameter] public string? Class { get; set; }

    /// <summary>Makes the points clickable (the nearest point to the pointer is the one picked).</summary>
    [Parameter] public EventCallback<ChartPointPick> OnPointPicked { get; set; }

    [Parameter(CaptureUnmatchedValues = true)] public IReadOnlyDictionary<string, object>? AdditionalAttributes { get; set; }

    /// <summary>Identifies this chart in the browser module; unique per component instance.</summary>
    public string Id { get; } = "chart-" + Guid.NewGuid().ToString("N");

    /// <summary>Replaces the data of the existing chart without re-creating it (live updates).</summary>
    public async Task UpdateSeriesAsync(JsonArray series)
    {
        // Kept in the options too: data that arrives before the chart exists is then part of its creation.
        Options["series"] = series.DeepClone();
        if (!_created || _disposed || _module is null) return;
        await CallAsync("updateSeries", Id, series.ToJsonString());
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            try
            {
                _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            }
            catch (JSDisconnectedException)
            {
                return;
            }
            if (_disposed) return;

            _shownOptions = Options;
            if (OnPointPicked.HasDelegate) _self = DotNetObjectReference.Create(this);
            await CallAsync("create", Id, _element, Options.ToJsonString(), _self);
            _created = true;
            if (_disposed) await CallAsync("destroy", Id);
        }
        else if (_created && !_disposed && !ReferenceEquals(_shownOptions, Options))
        {
            _shownOptions = Options;
            await CallAsync("updateOptions", Id, Options.ToJsonString());
        }
    }

    [JSInvokable]
    public Task PointPicked(int series, long at) =>
        _disposed ? Task.CompletedTask : OnPointPicked.InvokeAsync(new ChartPointPick(series, DateTimeOffset.FromUnixTimeMilliseconds(at)));

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _self?.Dispose();
        if (_module is null) return;
        try
        {
            if (_created) await _module.InvokeVoidAsync("destroy", Id);
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the browser page with it: nothing is left to clean up.
        }
    }

    private async Task CallAsync(string identifier, params object?[] args)
    {
        try
        {
            await _module!.InvokeVoidAsync(identifier, args);
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
