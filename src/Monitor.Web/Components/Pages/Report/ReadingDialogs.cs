using Microsoft.Extensions.Localization;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Resources;
using MudBlazor;

namespace Monitor.Web.Components.Pages.Report;

/// <summary>Opens the dialogs of one recorded reading (its history, its correction) the same way from every page.</summary>
public static class ReadingDialogs
{
    private static DialogOptions Options => new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    /// <summary>Every version of the reading; with <paramref name="offerCorrection"/> a reporter may correct it from there.</summary>
    /// <returns>The confirmation of a correction made from the history, or null.</returns>
    public static async Task<string?> ShowHistoryAsync(this IDialogService dialogs, IStringLocalizer<Strings> text,
        Site site, IndicatorDefinition indicator, DateTimeOffset timestamp, bool offerCorrection = false)
    {
        var parameters = new DialogParameters<ReadingHistoryDialog>
        {
            { d => d.Site, site },
            { d => d.Indicator, indicator },
            { d => d.Timestamp, timestamp },
            { d => d.OfferCorrection, offerCorrection },
        };
        return await ConfirmationAsync(await dialogs.ShowAsync<ReadingHistoryDialog>(text["History.Title"], parameters, Options));
    }

    /// <summary>Corrects or voids the reading, starting from a proposed value or state when there is one.</summary>
    /// <returns>The confirmation to show once the correction is recorded (or queued), or null when cancelled.</returns>
    public static async Task<string?> CorrectAsync(this IDialogService dialogs, IStringLocalizer<Strings> text,
        Site site, IndicatorDefinition indicator, DateTimeOffset timestamp, Observation? current,
        double? proposedValue = null, string? proposedState = null)
    {
        var parameters = new DialogParameters<CorrectionDialog>
        {
            { d => d.Site, site },
            { d => d.Indicator, indicator },
            { d => d.Timestamp, timestamp },
            { d => d.Current, current },
            { d => d.ProposedValue, proposedValue },
            { d => d.ProposedState, proposedState },
        };
        return await ConfirmationAsync(await dialogs.ShowAsync<CorrectionDialog>(text["Correction.Title"], parameters, Options));
    }

    /// <summary>What a dialog closed with when it recorded something: the confirmation to show.</summary>
    private static async Task<string?> ConfirmationAsync(IDialogReference dialog) =>
        await dialog.Result is { Canceled: false, Data: string done } ? done : null;
}
