using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Components.Pages.Intake;
using Monitor.Web.Observations.Ingest;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;
using MudBlazor;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Intake;

public sealed class IntakePageTests : MonitorComponentTest
{
    private DateTimeOffset Now => Time.GetUtcNow();

    private IngestJournal Journal => Services.GetRequiredService<IngestJournal>();

    private IRenderedComponent<IntakePage> RenderAs(Role role)
    {
        Authorization.SetAuthorized($"{role.ToString().ToLowerInvariant()}@x");
        Authorization.SetRoles(role.ToString());
        Authorization.SetPolicies(Enum.GetValues<Role>().Where(r => r <= role).Select(r => r.ToString()).ToArray());
        return Render<IntakePage>();
    }

    /// <summary>Files a conflict as the drain would: <paramref name="proposed"/> arrived during an outage where 40 is stored.</summary>
    private async Task<(DateTimeOffset At, long Id)> FileConflictAsync(double proposed)
    {
        var at = Now.AddHours(-3);
        await SubmitAsync(Reading("mosul", StationsOpen.Id, at, 40));
        var sent = new Observation("mosul", StationsOpen.Id, at, proposed, null, "late radio", null);
        var kept = new Observation("mosul", StationsOpen.Id, at, 40, null, "test", null);
        var batch = new IngestBatch(Journal.LastSequence + 1, Guid.NewGuid(), Now, "reporter@x", "api", [ObservationChange.Record(sent)], CheckDeferred: true);
        Journal.Commit(batch, (connection, transaction) => IngestJournal.Enqueue(connection, transaction, batch));
        Journal.FileConflicts(batch with { Changes = [], CheckDeferred = false }, [(sent, kept)], Now);
        return (at, Journal.Conflicts(openOnly: true).Single().Id);
    }

    private async Task<double?> StoredValueAsync(DateTimeOffset at)
    {
        var reader = Services.GetRequiredService<IObservationReader>();
        var points = await reader.QueryAsync(new SeriesQuery("mosul", StationsOpen.Id, at, at, 10), IndicatorKind.Numeric, CancellationToken.None);
        return Assert.Single(points).Value;
    }

    [Fact]
    public async Task A_conflict_shows_the_kept_and_the_sent_reading_and_applying_it_makes_the_sent_one_the_reading()
    {
        var (at, id) = await FileConflictAsync(proposed: 55);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderAs(Role.Coordinator);

        var row = page.Find($"[data-conflict='{id}']").Closest("tr")!;
        Assert.Contains("Mosul", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("40% (test)", row.QuerySelector("[data-kept]")!.TextContent);
        Assert.Equal("55% (late radio)", row.QuerySelector("[data-proposed]")!.TextContent);
        Assert.Contains("sent by reporter@x", row.TextContent, StringComparison.Ordinal);

        row.QuerySelector("[data-action=apply]")!.Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Apply as correction").Click());

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-empty=conflicts]")));
        Assert.Equal(55, await StoredValueAsync(at));
        Assert.Equal(ConflictStatus.Applied, Journal.FindConflict(id)!.Status);
        var audit = await Services.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.ConflictApplied, Take: 10));
        Assert.Equal("coordinator@x", Assert.Single(audit.Entries).Actor);
    }

    [Fact]
    public async Task Discarding_a_conflict_keeps_the_stored_reading_and_lists_it_as_decided()
    {
        var (at, id) = await FileConflictAsync(proposed: 5);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderAs(Role.Coordinator);

        page.Find($"[data-conflict='{id}']").Closest("tr")!.QuerySelector("[data-action=discard]")!.Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Discard").Click());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-empty=conflicts]")));
        page.Find("[data-action=show-resolved] input, input[data-action=show-resolved]").Change(true);

        page.WaitForAssertion(() => Assert.Equal("discarded", page.Find($"[data-conflict='{id}']").Closest("tr")!
            .QuerySelector("[data-status]")!.GetAttribute("data-status")));
        Assert.Equal(40, await StoredValueAsync(at));
    }

    [Theory]
    [InlineData(Role.Coordinator, false)]
    [InlineData(Role.Admin, true)]
    public void Batches_refused_by_the_database_are_listed_to_admins_only(Role role, bool listed)
    {
        var page = RenderAs(role);

        Assert.Equal(listed, page.FindAll("[data-empty=dead-letters]").Count == 1);
        Assert.Equal("embedded", page.Find("[data-storage]").GetAttribute("data-storage"));
    }
}
