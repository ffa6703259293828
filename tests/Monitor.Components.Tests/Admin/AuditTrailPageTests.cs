using Monitor.Web.Audit;
using Monitor.Web.Components.Pages.Admin;
using MudBlazor;

namespace Monitor.Components.Tests.Admin;

public sealed class AuditTrailPageTests : AdminComponentTest
{
    private static IReadOnlyList<string> Targets(IRenderedComponent<AuditTrailPage> page) =>
        page.FindAll("tbody tr:has([data-audit-action])").Select(r => r.Children[3].TextContent.Trim()).ToArray();

    private string ExportHref(IRenderedComponent<AuditTrailPage> page) => page.Find("[data-action='export-csv']").GetAttribute("href")!;

    private async Task RecordAsync(string actor, string action, string target, TimeSpan later)
    {
        Time.Advance(later);
        await Audit.RecordAsync(actor, action, target, null, null);
    }

    [Fact]
    public async Task Shows_entries_newest_first()
    {
        await RecordAsync("a@example.org", AuditActions.UserCreated, "first", TimeSpan.FromMinutes(1));
        await RecordAsync("b@example.org", AuditActions.UserDisabled, "second", TimeSpan.FromMinutes(1));
        await RecordAsync("key:importer", AuditActions.ObservationsSubmitted, "third", TimeSpan.FromMinutes(1));

        var page = Render<AuditTrailPage>();

        page.WaitForAssertion(() => Assert.Equal(["third", "second", "first"], Targets(page)));
        Assert.Contains("key:importer", page.Markup, StringComparison.Ordinal);
        Assert.Equal("/api/audit?format=csv", ExportHref(page));
    }

    [Fact]
    public async Task Choosing_an_action_filters_the_table_and_the_export_link()
    {
        await RecordAsync("a@example.org", AuditActions.UserCreated, "created one", TimeSpan.FromMinutes(1));
        await RecordAsync("a@example.org", AuditActions.ApiKeyRevoked, "revoked one", TimeSpan.FromMinutes(1));
        var page = Render<AuditTrailPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Targets(page).Count));
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Action");

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(AuditActions.ApiKeyRevoked));

        page.WaitForAssertion(() => Assert.Equal(["revoked one"], Targets(page)));
        Assert.Equal($"/api/audit?format=csv&action={AuditActions.ApiKeyRevoked}", ExportHref(page));
    }

    [Fact]
    public async Task Typing_an_actor_filters_after_the_pause()
    {
        await RecordAsync("a@example.org", AuditActions.UserCreated, "by a", TimeSpan.FromMinutes(1));
        await RecordAsync("b@example.org", AuditActions.UserCreated, "by b", TimeSpan.FromMinutes(1));
        var page = Render<AuditTrailPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Targets(page).Count));

        page.Find("input[data-filter='actor']").Input("b@example.org");
        Time.Advance(TimeSpan.FromSeconds(1));

        // The table reloads before the page around it renders the new link: wait for both.
        page.WaitForAssertion(() =>
        {
            Assert.Equal(["by b"], Targets(page));
            Assert.Equal("/api/audit?format=csv&actor=b%40example.org", ExportHref(page));
        });
    }

    [Fact]
    public async Task Date_range_keeps_whole_utc_days()
    {
        await RecordAsync("a@example.org", AuditActions.UserCreated, "today", TimeSpan.FromMinutes(1));
        var page = Render<AuditTrailPage>();
        page.WaitForAssertion(() => Assert.Single(Targets(page)));
        var picker = page.FindComponent<MudDateRangePicker>();
        var today = Time.GetUtcNow().UtcDateTime.Date;

        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today.AddDays(-2), today.AddDays(-1))));

        page.WaitForAssertion(() => Assert.Empty(Targets(page)));
        Assert.Contains("No audit entries match", page.Markup, StringComparison.Ordinal);

        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today, today)));

        page.WaitForAssertion(() => Assert.Equal(["today"], Targets(page)));
        var day = today.ToString("yyyy-MM-dd");
        Assert.Equal($"/api/audit?format=csv&from={day}T00%3A00%3A00.000Z&to={day}T23%3A59%3A59.999Z", ExportHref(page));
    }

    [Fact]
    public async Task Long_trails_are_paged_fifty_at_a_time()
    {
        for (var i = 1; i <= 60; i++) await Audit.RecordAsync("bulk@example.org", AuditActions.ObservationsSubmitted, $"batch {i}", null, null);

        var page = Render<AuditTrailPage>();

        page.WaitForAssertion(() => Assert.Equal(50, Targets(page).Count));
        Assert.Equal("batch 60", Targets(page)[0]);
        Assert.Contains(page.FindAll(".mud-table-pagination-caption"), c => c.TextContent.Contains("of 60", StringComparison.Ordinal));
    }
}
