using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using Monitor.Domain.Imports;
using Monitor.Web.Catalog;
using Monitor.Web.Observations.Import;
using Monitor.Web.Observations.Ingest;
using nietras.SeparatedValues;

namespace Monitor.Web.Components.Pages.Import;

/// <summary>
/// Bulk import for reporters: the chosen file is copied to a spool on the server (never held in memory), checked as a
/// dry run whose problems are listed by line, then imported all-or-nothing or valid rows only, through the same
/// pipeline as <c>POST /api/observations/import</c>.
/// </summary>
public sealed partial class ImportPage : ComponentBase, IAsyncDisposable
{
    private enum Phase
    {
        Uploading,
        Checking,
        Storing,
    }

    private ImportSpool? _spool;
    private string? _fileName;
    private Phase? _phase;
    private double _fraction;
    private ImportResult? _preview;
    private ImportResult? _done;
    private string? _problem;
    private bool _interactive;
    private IJSObjectReference? _module;
    private readonly CancellationTokenSource _closing = new();

    [Inject] private ObservationIngest Ingest { get; set; } = default!;
    [Inject] private CatalogService Catalog { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    private bool Busy => _phase is not null;

    private string PhaseText => _phase switch
    {
        Phase.Uploading => L["Import.Uploading"],
        Phase.Checking => L["Import.Checking"],
        Phase.Storing => L["Import.Storing"],
        _ => "",
    };

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _interactive = true;
        StateHasChanged();
    }

    private async Task OnFileChosenAsync(InputFileChangeEventArgs e)
    {
        await ResetAsync();
        var file = e.File;
        _fileName = file.Name;
        if (file.Size > ImportSpool.MaxBytes)
        {
            _problem = L["Import.TooLarge", ImportSpool.MaxBytes / (1024 * 1024)];
            return;
        }

        try
        {
            Show(Phase.Uploading, 0);
            await using var upload = file.OpenReadStream(ImportSpool.MaxBytes, _closing.Token);
            _spool = await ImportSpool.CopyAsync(upload, ImportSpool.MaxBytes, _closing.Token,
                new Reporter<long>(bytes => Show(Phase.Uploading, file.Size == 0 ? 1 : (double)bytes / file.Size)));
            // Valid rows only: the preview counts what could be stored, whichever way the reporter then chooses.
            _preview = await RunAsync(new ImportMode(ValidOnly: true, DryRun: true));
        }
        catch (ImportTooLargeException)
        {
            _problem = L["Import.TooLarge", ImportSpool.MaxBytes / (1024 * 1024)];
        }
        finally
        {
            _phase = null;
        }
    }

    private async Task ImportAsync(bool validOnly)
    {
        try
        {
            var result = await RunAsync(new ImportMode(ValidOnly: validOnly));
            if (result is null) return;
            if (result.Refused)
            {
                // Something changed since the check (another reporter's readings): show the new problems instead.
                _preview = result;
                return;
            }
            _done = result;
            _preview = null;
            if (_spool is not null) await _spool.DisposeAsync();
            _spool = null;
        }
        finally
        {
            _phase = null;
        }
    }

    /// <summary>Runs the import off the circuit's thread, showing progress; a file that cannot be read becomes the page's problem.</summary>
    private async Task<ImportResult?> RunAsync(ImportMode mode)
    {
        var spool = _spool!;
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        Show(Phase.Checking, 0);
        var progress = new Reporter<ImportProgress>(p => Show(
            p.Phase == ImportPhase.Checking ? Phase.Checking : Phase.Storing,
            p.Phase == ImportPhase.Checking ? spool.ReadFraction : p.Total == 0 ? 1 : (double)p.Rows / p.Total));
        try
        {
            return await Task.Run(() => Ingest.ImportAsync(() => spool.Rows(Catalog.Current), mode, new Submitter(user, "csv"), progress, _closing.Token));
        }
        catch (ImportFormatException ex)
        {
            _problem = L["Import.Unreadable", ex.Line, ex.Message];
        }
        catch (DecoderFallbackException)
        {
            _problem = L["Import.NotUtf8"];
        }
        catch (BacklogFullException ex)
        {
            _problem = ex.Message;
        }
        return null;
    }

    private void Show(Phase phase, double fraction)
    {
        _phase = phase;
        _fraction = fraction;
        _ = InvokeAsync(StateHasChanged);
    }

    /// <summary>The rejected rows as CSV: the line each starts on in the file, the column and the problem.</summary>
    private async Task DownloadRejectedAsync()
    {
        if (_preview is null) return;
        var text = new StringWriter();
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(text, leaveOpen: true))
        {
            foreach (var error in _preview.Errors)
            {
                using var row = writer.NewRow();
                row["line"].Set(error.Line.ToString(CultureInfo.InvariantCulture));
                row["column"].Set(error.Field);
                row["error"].Set(ObservationCsv.Protect(error.Message));
            }
        }
        using var content = new DotNetStreamReference(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Import/ImportPage.razor.js");
        await _module.InvokeVoidAsync("download", $"rejected-{Path.GetFileNameWithoutExtension(_fileName)}.csv", content);
    }

    private async Task ResetAsync()
    {
        if (_spool is not null) await _spool.DisposeAsync();
        (_spool, _preview, _done, _problem, _fileName) = (null, null, null, null, null);
    }

    private static string N(int count) => count.ToString("N0", CultureInfo.CurrentCulture);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        if (_spool is not null) await _spool.DisposeAsync();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
        _closing.Dispose();
    }

    /// <summary>Reports straight to a callback on the reporting thread (the page re-renders through InvokeAsync).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
