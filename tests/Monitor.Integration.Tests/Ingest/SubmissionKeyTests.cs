using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Domain.Observations;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// A form's submission key, as a reporter's phone re-sends it on the next circuit: the first send commits once, every
/// later send of the key (after a restart, after the reading was corrected) changes nothing and is audited as such.
/// </summary>
public sealed class SubmissionKeyTests : IDisposable
{
    private readonly MonitorAppFactory _app = new();

    private static readonly ClaimsPrincipal Reporter =
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "reporter@example.org")], "test"));

    private static Submitter Form(string? key) => new(Reporter, "form") { SubmissionKey = key };

    private static ObservationInput Stations(DateTimeOffset at, double value) =>
        new(TestScenario.Mosul, TestScenario.FuelStationsOpen, value, Timestamp: at, Source: "phone");

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_key_sent_again_after_a_restart_and_a_correction_changes_nothing()
    {
        var at = TestScenario.NewWindow();
        var key = Guid.NewGuid().ToString("N");
        var first = await _app.Services.GetRequiredService<ObservationIngest>().SubmitAsync([Stations(at, 40)], Form(key), CancellationToken.None);
        Assert.Equal(SubmissionStatus.Accepted, first.Status);
        Assert.False(first.Resubmitted);
        using (var reporter = _app.CreateClient(TestScenario.ReporterKey))
        {
            using var corrected = await reporter.PostCorrectionAsync(new
            {
                siteId = TestScenario.Mosul, indicatorId = TestScenario.FuelStationsOpen, timestamp = at, value = 45, reason = "recount",
            });
            Assert.Equal(202, (int)corrected.StatusCode);
        }

        // The phone's next circuit, on an app started again on the same data.
        using var restarted = new MonitorAppFactory { DataDirectory = _app.DataDirectory };
        var ingest = restarted.Services.GetRequiredService<ObservationIngest>();
        var journal = restarted.Services.GetRequiredService<IngestJournal>();
        var sequence = journal.LastSequence;

        var again = await ingest.SubmitAsync([Stations(at, 40)], Form(key), CancellationToken.None);

        Assert.Equal(SubmissionStatus.Accepted, again.Status);
        Assert.True(again.Resubmitted);
        Assert.Equal(first.BatchId, again.BatchId);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal(sequence, journal.LastSequence);
        var history = await restarted.Services.GetRequiredService<IObservationReader>()
            .HistoryAsync(new ObservationKey(TestScenario.Mosul, TestScenario.FuelStationsOpen, at), CancellationToken.None);
        Assert.Equal([40.0, 45.0], history.Select(v => v.Reading.Value!.Value));
        var audit = restarted.Services.GetRequiredService<AuditLog>();
        var resubmitted = Assert.Single((await audit.QueryAsync(new AuditQuery(Action: AuditActions.ObservationsResubmitted, Take: 10))).Entries);
        Assert.Equal(first.BatchId.ToString(), resubmitted.Target);
        Assert.Contains($"key={key}", resubmitted.Details, StringComparison.Ordinal);
        var submitted = Assert.Single((await audit.QueryAsync(new AuditQuery(Action: AuditActions.ObservationsSubmitted, Take: 10))).Entries,
            e => e.Details!.Contains("channel=form", StringComparison.Ordinal));
        Assert.Contains($"key={key}", submitted.Details, StringComparison.Ordinal);

        // Without its key the same send would be a conflict: the key is what makes the re-send safe.
        var keyless = await ingest.SubmitAsync([Stations(at, 40)], Form(null), CancellationToken.None);
        Assert.Equal(SubmissionStatus.Conflict, keyless.Status);
    }

    [Fact]
    public async Task Two_sends_of_one_key_at_the_same_time_commit_once()
    {
        var at = TestScenario.NewWindow();
        var key = Guid.NewGuid().ToString("N");
        var ingest = _app.Services.GetRequiredService<ObservationIngest>();
        var sequence = _app.Services.GetRequiredService<IngestJournal>().LastSequence;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => ingest.SubmitAsync([Stations(at, 30), Stations(at.AddHours(1), 31)], Form(key), CancellationToken.None))));

        Assert.All(outcomes, o => Assert.Equal(SubmissionStatus.Accepted, o.Status));
        Assert.Single(outcomes, o => !o.Resubmitted);
        Assert.Single(outcomes.Select(o => o.Sequence).Distinct());
        Assert.Equal(sequence + 1, _app.Services.GetRequiredService<IngestJournal>().LastSequence);
    }

    [Fact]
    public async Task A_correction_sent_again_by_its_key_does_not_void_or_correct_twice()
    {
        var at = TestScenario.NewWindow();
        var ingest = _app.Services.GetRequiredService<ObservationIngest>();
        Assert.Equal(SubmissionStatus.Accepted, (await ingest.SubmitAsync([Stations(at, 40)], Form(null), CancellationToken.None)).Status);
        var key = Guid.NewGuid().ToString("N");
        var voiding = new CorrectionInput(TestScenario.Mosul, TestScenario.FuelStationsOpen, at, Void: true, Reason: "wrong site");

        var first = await ingest.CorrectAsync(voiding, Form(key), CancellationToken.None);
        var again = await ingest.CorrectAsync(voiding, Form(key), CancellationToken.None);

        Assert.Equal(SubmissionStatus.Accepted, first.Status);
        Assert.Equal(SubmissionStatus.Accepted, again.Status);
        Assert.True(again.Resubmitted);
        // Without the key the second void finds no reading left to void.
        Assert.Equal(SubmissionStatus.NotFound, (await ingest.CorrectAsync(voiding, Form(null), CancellationToken.None)).Status);
    }
}
