using Microsoft.AspNetCore.Components;
using Monitor.Web.Audit;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Admin;

/// <summary>
/// The audit trail, newest first, a page at a time from the database, filtered by dates (UTC days), actor, action and
/// free text; the export link carries the same filters.
/// </summary>
public sealed partial class AuditTrailPage : ComponentBase
{
    private MudDataGrid<AuditEntry>? _grid;
    private DateRange? _dates;
    private string? _actor;
    private string? _action;
    private string? _text;

    [Inject] private AuditLog Audit { get; set; } = default!;

    private AuditQuery Query => new(
        _dates?.Start is { } start ? new DateTimeOffset(start.Date, TimeSpan.Zero) : null,
        // The end date is a whole day: everything before the next midnight.
        _dates?.End is { } end ? new DateTimeOffset(end.Date.AddDays(1).AddMilliseconds(-1), TimeSpan.Zero) : null,
        Blank(_actor), Blank(_action), Blank(_text));

    private string ExportUrl => AuditApi.CsvUrl(Query);

    private async Task<GridData<AuditEntry>> LoadAsync(GridState<AuditEntry> state, CancellationToken cancellationToken)
    {
        var page = await Audit.QueryAsync(Query with { Skip = state.Page * state.PageSize, Take = state.PageSize }, cancellationToken);
        return new GridData<AuditEntry> { Items = page.Entries, TotalItems = page.Total };
    }

    private Task OnDatesChangedAsync(DateRange? dates)
    {
        _dates = dates;
        return ReloadAsync();
    }

    private Task OnActorChangedAsync(string? actor)
    {
        _actor = actor;
        return ReloadAsync();
    }

    private Task OnActionChangedAsync(string? action)
    {
        _action = action;
        return ReloadAsync();
    }

    private Task OnTextChangedAsync(string? text)
    {
        _text = text;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
