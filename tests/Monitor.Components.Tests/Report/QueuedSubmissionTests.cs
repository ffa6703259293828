using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Components.Pages.Report;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Forms;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;
using MudBlazor;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Report;

/// <summary>A store that stops answering, as InfluxDB does in an outage; the write path then queues as it does under InfluxDB.</summary>
internal sealed class FlakyStore(IObservationStore inner) : IObservationStore
{
    public volatile bool Down;

    private void ThrowIfDown()
    {
        if (Down) throw new ObservationStoreUnavailableException("The test's store is down.", new HttpRequestException());
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);
    public Task ApplyAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken) => inner.ApplyAsync(batches, cancellationToken);

    public Task<IReadOnlyDictionary<ObservationKey, StoredReading>> FindAsync(IReadOnlyCollection<ObservationKey> keys, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.FindAsync(keys, cancellationToken);
    }

    public Task<IReadOnlyList<ObservationVersion>> RevisionsAsync(ObservationKey key, CancellationToken cancellationToken) => inner.RevisionsAsync(key, cancellationToken);
    public Task<IReadOnlyList<Observation>> ReadAsync(SeriesKey series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => inner.ReadAsync(series, from, to, cancellationToken);
    public Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, IndicatorKind kind, CancellationToken cancellationToken) => inner.QueryAsync(query, kind, cancellationToken);
    public Task<IReadOnlyList<Observation>> LatestAsync(string siteId, CancellationToken cancellationToken) => inner.LatestAsync(siteId, cancellationToken);
    public Task<ObservationExtent?> ExtentAsync(CancellationToken cancellationToken) => inner.ExtentAsync(cancellationToken);
    public Task<IReadOnlyDictionary<SeriesKey, DateTimeOffset>> NewestAsync(CancellationToken cancellationToken) => inner.NewestAsync(cancellationToken);
    public Task<bool> PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
}

public sealed class QueuedSubmissionTests : MonitorComponentTest
{
    private FlakyStore? _flaky;

    protected override void AddServices(IServiceCollection services)
    {
        services.AddObservationForms();
        services.AddSingleton<IObservationStore>(_ => _flaky ??= new FlakyStore(Store));
    }

    [Fact]
    public async Task A_correction_the_store_cannot_take_is_shown_as_queued_and_sent_once_when_it_answers()
    {
        var at = new DateTimeOffset(2014, 6, 28, 12, 0, 0, TimeSpan.Zero);
        var reading = new Observation("mosul", StationsOpen.Id, at, 40, null, "test", null);
        // Stored before any batch of this test (sequence 0), as a reading InfluxDB already holds.
        await Store.ApplyAsync([new IngestBatch(0, Guid.NewGuid(), at, "test", "test", [ObservationChange.Record(reading)])], CancellationToken.None);
        _flaky!.Down = true;
        Authorization.SetAuthorized("reporter@x");
        Authorization.SetPolicies(Policies.Viewer, Policies.Reporter);
        var dialogs = Render<MudDialogProvider>();
        var pending = Render<PendingSubmissions>();
        var dialogService = Services.GetRequiredService<IDialogService>();

        var parameters = new DialogParameters<CorrectionDialog>
        {
            { d => d.Site, Mosul },
            { d => d.Indicator, StationsOpen },
            { d => d.Timestamp, at },
            { d => d.Current, reading },
        };
        var dialog = await dialogs.InvokeAsync(() => dialogService.ShowAsync<CorrectionDialog>("Correct", parameters));
        dialogs.WaitForAssertion(() => dialogs.Find("[data-dialog='correction'] input[data-field='value']").Input("45"));
        dialogs.Find("textarea[data-field='reason']").Input("recount");
        dialogs.Find("[data-action='submit-correction']").Click();

        var result = await dialog.Result;
        Assert.Contains("Queued", (string)result!.Data!, StringComparison.Ordinal);
        pending.WaitForAssertion(() => Assert.Equal("1", pending.Find("[data-queued]").GetAttribute("data-queued")));
        var journal = Services.GetRequiredService<IngestJournal>();
        var before = journal.LastSequence;

        _flaky.Down = false;
        Time.Advance(FormSubmissions.RetryInterval);

        pending.WaitForAssertion(() => Assert.Empty(pending.FindAll("[data-queued]")));
        await EventuallyAsync(() => Assert.Equal(before + 1, journal.LastSequence));
        var history = await Services.GetRequiredService<IObservationReader>().HistoryAsync(reading.Key, CancellationToken.None);
        Assert.Equal([40.0, 45.0], history.Select(v => v.Reading.Value!.Value));
        Assert.Equal("recount", history[^1].Reason);

        // Nothing is left to send: another retry period changes nothing.
        Time.Advance(FormSubmissions.RetryInterval);
        Assert.Equal(before + 1, journal.LastSequence);
    }
}
