using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Monitor.Domain.Observations;
using Monitor.Web.Catalog;
using Monitor.Web.Components.Controls.Readings;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Outbox;
using Monitor.Web.Security;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Intake;

/// <summary>
/// Where observations go after they are accepted: whether InfluxDB takes them or they wait in the outbox; conflicts
/// found when a batch sent during an outage reached InfluxDB, for a Coordinator to apply or discard; and, for Admins,
/// batches InfluxDB refused for good.
/// </summary>
public sealed partial class IntakePage : ComponentBase, IDisposable
{
    private IReadOnlyList<IngestConflict>? _conflicts;
    private IReadOnlyList<DeadLetter>? _deadLetters;
    private StorageSnapshot? _status;
    private bool _showResolved;

    [Inject] private IngestJournal Journal { get; set; } = default!;
    [Inject] private ClientAddress Client { get; set; } = default!;
    [Inject] private ObservationIngest Ingest { get; set; } = default!;
    [Inject] private StorageStatus Status { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool Queues => Status.Queues;

    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private ITimer? _timer;

    protected override void OnInitialized()
    {
        Reload();
        // The backlog changes with every drained batch: follow it at a steady pace, not on each of them, and read the
        // conflicts and dead letters again only when the queue moved (the drain files them as it writes).
        _timer = Time.CreateTimer(_ => InvokeAsync(() =>
        {
            var now = Status.Current;
            if (now.Backlog != _status?.Backlog || now.UnreachableSince != _status?.UnreachableSince) Reload();
            else _status = now;
            StateHasChanged();
        }), null, Refresh, Refresh);
    }

    private void Reload()
    {
        _status = Status.Current;
        _conflicts = Journal.Conflicts(openOnly: !_showResolved);
        _deadLetters = Journal.DeadLetters();
    }

    private void ShowResolvedAsync(bool show)
    {
        _showResolved = show;
        Reload();
    }

    private string SiteName(string siteId) => Catalog.Current.FindSite(siteId)?.Name ?? siteId;

    private string IndicatorName(string indicatorId) => Catalog.Current.FindIndicator(indicatorId)?.Name ?? indicatorId;

    private string Describe(Observation reading)
    {
        var unit = Catalog.Current.FindIndicator(reading.IndicatorId)?.Unit;
        var what = reading.Value is { } value ? ReadingText.Value(value, unit) : L.State(reading.State ?? "");
        return string.IsNullOrEmpty(reading.Source) ? what : $"{what} ({reading.Source})";
    }

    private async Task<Submitter> SubmitterAsync() => new((await Authentication.GetAuthenticationStateAsync()).User, "conflict", Client.Value);

    private async Task ApplyAsync(IngestConflict conflict)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Intake.ApplyTitle"],
            L["Intake.ApplyConfirm", Describe(conflict.Proposed), Describe(conflict.Existing)],
            yesText: L["Intake.Apply"], cancelText: L["Admin.Cancel"]);
        if (confirmed != true) return;

        var result = await Ingest.ApplyConflictAsync(conflict.Id, await SubmitterAsync(), CancellationToken.None);
        if (result.Status == SubmissionStatus.Accepted) Snackbar.Add(L["Intake.Applied"], Severity.Success);
        else Snackbar.Add(L["Intake.AlreadyResolved"], Severity.Warning);
        Reload();
    }

    private async Task DiscardAsync(IngestConflict conflict)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Intake.DiscardTitle"],
            L["Intake.DiscardConfirm", Describe(conflict.Proposed), Describe(conflict.Existing)],
            yesText: L["Intake.Discard"], cancelText: L["Admin.Cancel"]);
        if (confirmed != true) return;

        if (await Ingest.DiscardConflictAsync(conflict.Id, await SubmitterAsync())) Snackbar.Add(L["Intake.Discarded"], Severity.Success);
        else Snackbar.Add(L["Intake.AlreadyResolved"], Severity.Warning);
        Reload();
    }

    public void Dispose() => _timer?.Dispose();
}
