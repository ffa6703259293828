using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Audit;
using Monitor.Web.Components.Layout;
using Monitor.Web.Components.Pages.Report;
using Monitor.Web.Components.Pages.Sites;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Reading;
using Monitor.Web.Security;
using MudBlazor;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Report;

public sealed class ReportFormTests : MonitorComponentTest
{
    private DateTimeOffset Now => Time.GetUtcNow();

    protected override void AddServices(IServiceCollection services) => services.AddObservationForms();

    private void SignInAs(Role role)
    {
        Authorization.SetAuthorized($"{role.ToString().ToLowerInvariant()}@x");
        Authorization.SetRoles(role.ToString());
        Authorization.SetPolicies(Enum.GetValues<Role>().Where(r => r <= role).Select(r => r.ToString()).ToArray());
    }

    private IRenderedComponent<ObservationForm> RenderForm(string site, string? indicator = null)
    {
        SignInAs(Role.Reporter);
        return Render<ObservationForm>(p => p.Add(c => c.SiteId, site).Add(c => c.IndicatorId, indicator));
    }

    private static IElement Input(IRenderedComponent<IComponent> component, string field) =>
        component.Find($"input[data-field='{field}'], textarea[data-field='{field}']");

    private static void Choose(IRenderedComponent<IComponent> component, string selector)
    {
        var option = component.Find(selector);
        (option.TagName == "INPUT" ? option : option.QuerySelector("input")!).Click();
    }

    private static void Submit<T>(IRenderedComponent<T> form, string name) where T : IComponent =>
        form.Find($"form[data-form='{name}']").Submit();

    private static IEnumerable<string?> Policy(Type page) =>
        page.GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), true)
            .Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>().Select(a => a.Policy);

    private async Task<Observation?> LatestAsync(string site, string indicator) =>
        (await Services.GetRequiredService<IObservationReader>().LatestAsync(site, CancellationToken.None)).FirstOrDefault(o => o.IndicatorId == indicator);

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string action) =>
        (await Services.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: action, Take: 10))).Entries;

    [Fact]
    public void Only_the_indicators_of_the_sites_kind_are_offered()
    {
        var city = RenderForm("mosul");
        Assert.Equal([FuelPrice.Id, StationsOpen.Id], city.FindAll("[data-indicator-option]").Select(o => o.GetAttribute("data-indicator-option")).Order());

        var refinery = RenderForm("baiji-refinery");
        Assert.Equal([RefineryStatus.Id], refinery.FindAll("[data-indicator-option]").Select(o => o.GetAttribute("data-indicator-option")));
    }

    [Fact]
    public async Task A_state_indicator_is_a_choice_of_its_states_and_the_choice_is_recorded()
    {
        var form = RenderForm("baiji-refinery");

        // The refinery has one indicator, chosen for the reporter; its input is the states, not a number.
        Assert.Equal(["operating", "reduced", "offline"], form.FindAll("[data-state-option]").Select(o => o.GetAttribute("data-state-option")));
        Assert.Empty(form.FindAll("input[data-field='value']"));
        Choose(form, "[data-state-option='offline']");
        Submit(form, "observation");

        form.WaitForAssertion(() => Assert.NotNull(form.Find("[data-result='accepted']")));
        Assert.Equal("offline", (await LatestAsync("baiji-refinery", RefineryStatus.Id))?.State);
    }

    [Fact]
    public async Task Invalid_input_is_explained_in_the_forms_words_and_nothing_is_stored()
    {
        var form = RenderForm("mosul", StationsOpen.Id);

        Input(form, "value").Input("150");
        Input(form, "time").Change(EntryText.FormatTime(Now.AddHours(2)));
        Input(form, "source").Change("radio\u0007");
        Submit(form, "observation");

        form.WaitForAssertion(() =>
        {
            Assert.Contains("Enter a number from 0 to 100%.", form.Markup, StringComparison.Ordinal);
            Assert.Contains("The time cannot be in the future.", form.Markup, StringComparison.Ordinal);
            Assert.Contains("Control characters", form.Markup, StringComparison.Ordinal);
        });
        Assert.Null(await LatestAsync("mosul", StationsOpen.Id));

        Input(form, "value").Input("");
        Input(form, "time").Change(EntryText.FormatTime(Now));
        Input(form, "source").Change("radio");
        Submit(form, "observation");
        form.WaitForAssertion(() => Assert.Contains("Enter a number from 0 to 100%.", form.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("The time cannot be in the future.", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_soft_warning_holds_the_reading_until_the_reporter_confirms_and_the_confirmation_is_audited()
    {
        await SubmitAsync(Reading("mosul", FuelPrice.Id, Now.AddHours(-2), 1000));
        var form = RenderForm("mosul", FuelPrice.Id);

        Input(form, "value").Input("6000");
        Submit(form, "observation");

        form.WaitForAssertion(() => Assert.Equal("jump", form.Find("[data-warning]").GetAttribute("data-warning")));
        Assert.Contains("1,000 IQD/L", form.Find("[data-warning]").TextContent, StringComparison.Ordinal);
        Assert.Equal(1000, (await LatestAsync("mosul", FuelPrice.Id))?.Value);
        Assert.Equal("confirm", form.Find("button[type='submit']").GetAttribute("data-action"));

        Submit(form, "observation");

        form.WaitForAssertion(() => Assert.NotNull(form.Find("[data-result='accepted']")));
        Assert.Equal(6000, (await LatestAsync("mosul", FuelPrice.Id))?.Value);
        var entry = Assert.Single(await AuditAsync(AuditActions.ObservationsSubmitted));
        Assert.Equal("reporter@x", entry.Actor);
        Assert.Contains("channel=form", entry.Details, StringComparison.Ordinal);
        Assert.Contains("confirmed=jump mosul/fuel.price_per_litre", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reading_without_warnings_is_sent_at_once()
    {
        await SubmitAsync(Reading("mosul", FuelPrice.Id, Now.AddHours(-2), 1000));
        var form = RenderForm("mosul", FuelPrice.Id);

        Input(form, "value").Input("1100");
        Submit(form, "observation");

        form.WaitForAssertion(() => Assert.NotNull(form.Find("[data-result='accepted']")));
        Assert.Empty(form.FindAll("[data-warning]"));
        Assert.Equal(1100, (await LatestAsync("mosul", FuelPrice.Id))?.Value);
        Assert.DoesNotContain("confirmed=", Assert.Single(await AuditAsync(AuditActions.ObservationsSubmitted)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conflict_offers_to_submit_the_reading_as_a_correction()
    {
        var at = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour - 3, 0, 0, TimeSpan.Zero);
        await SubmitAsync(Reading("mosul", StationsOpen.Id, at, 40));
        var dialogs = Render<MudDialogProvider>();
        var form = RenderForm("mosul", StationsOpen.Id);

        Input(form, "value").Input("55");
        Input(form, "time").Change(EntryText.FormatTime(at));
        Submit(form, "observation");

        form.WaitForAssertion(() => Assert.Contains("40%", form.Find("[data-conflict]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(2));
        Assert.Empty(form.FindAll("[data-result]"));
        // The form may render again meanwhile (the earlier reading reaching it through the feed): find the button afresh.
        form.WaitForAssertion(() => form.Find("[data-action='submit-as-correction']").Click());

        dialogs.WaitForAssertion(() => Assert.Equal("55", dialogs.Find("[data-dialog='correction'] input[data-field='value']").GetAttribute("value")));
        dialogs.Find("[data-action='submit-correction']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Say why the reading is corrected or voided.", dialogs.Markup, StringComparison.Ordinal));
        dialogs.Find("textarea[data-field='reason']").Input("Recounted at noon");
        dialogs.Find("[data-action='submit-correction']").Click();

        form.WaitForAssertion(() => Assert.Contains("Correction recorded.", form.Find("[data-result='accepted']").TextContent, StringComparison.Ordinal));
        var history = await Services.GetRequiredService<IObservationReader>().HistoryAsync(new ObservationKey("mosul", StationsOpen.Id, at), CancellationToken.None);
        Assert.Equal([40.0, 55.0], history.Select(v => v.Reading.Value!.Value));
        Assert.Equal("Recounted at noon", history[^1].Reason);
        Assert.Equal("reporter@x", history[^1].RecordedBy);
    }

    [Fact]
    public async Task The_daily_report_lists_every_indicator_prefilled_with_its_last_reading_and_age_and_submits_them_as_one_batch()
    {
        await SubmitAsync(
            Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5),
            Reading("mosul", FuelPrice.Id, Now.AddHours(-30), 1000));
        SignInAs(Role.Reporter);
        Services.GetRequiredService<NavigationManager>().NavigateTo("report/daily?site=mosul");
        var page = Render<DailyReportPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("22.5%", page.Find($"[data-last='{StationsOpen.Id}'] [data-last-value]").TextContent);
            Assert.Contains("2 h ago", page.Find($"[data-last='{StationsOpen.Id}'] [data-age]").TextContent, StringComparison.Ordinal);
            Assert.Equal("1,000 IQD/L", page.Find($"[data-last='{FuelPrice.Id}'] [data-last-value]").TextContent);
            Assert.Contains("30 h ago", page.Find($"[data-last='{FuelPrice.Id}'] [data-age]").TextContent, StringComparison.Ordinal);
        });
        Assert.Equal("22.5", page.Find($"input[data-input='{StationsOpen.Id}']").GetAttribute("value"));
        Assert.Equal([FuelPrice.Id, StationsOpen.Id], page.FindAll("[data-row]").Select(r => r.GetAttribute("data-row")).Order());

        page.Find($"input[data-input='{StationsOpen.Id}']").Input("20");
        Submit(page, "daily");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-result='accepted']")));
        Assert.Equal(20, (await LatestAsync("mosul", StationsOpen.Id))?.Value);
        Assert.Equal(1000, (await LatestAsync("mosul", FuelPrice.Id))?.Value);
        Assert.Equal(Now.AddSeconds(-Now.Second).AddMilliseconds(-Now.Millisecond), (await LatestAsync("mosul", FuelPrice.Id))?.Timestamp);
        Assert.Contains("count=2", Assert.Single(await AuditAsync(AuditActions.ObservationsSubmitted)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_no_entry_controls_but_can_open_a_readings_history()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5));
        SignInAs(Role.Viewer);
        Services.GetRequiredService<NavigationManager>().NavigateTo("sites/mosul?range=7d");

        var site = Render<SitePage>(p => p.Add(c => c.Id, "mosul"));
        var nav = Render<NavMenu>();

        site.WaitForAssertion(() => Assert.NotNull(site.Find("[data-action='history']")));
        Assert.Empty(site.FindAll("[data-entry-actions]"));
        Assert.Empty(site.FindAll("[data-action='correct']"));
        Assert.Empty(nav.FindAll("[data-nav='report']"));
        // The pages themselves refuse a Viewer (the router enforces their policy).
        Assert.Contains(Policies.Reporter, Policy(typeof(ReportPage)));
        Assert.Contains(Policies.Reporter, Policy(typeof(DailyReportPage)));
    }

    [Fact]
    public async Task A_reporter_sees_the_entry_actions_on_the_site_page_and_in_the_navigation()
    {
        await SubmitAsync(Reading("mosul", StationsOpen.Id, Now.AddHours(-2), 22.5));
        SignInAs(Role.Reporter);
        Services.GetRequiredService<NavigationManager>().NavigateTo("sites/mosul?range=7d");

        var site = Render<SitePage>(p => p.Add(c => c.Id, "mosul"));
        var nav = Render<NavMenu>();

        site.WaitForAssertion(() => Assert.NotNull(site.Find("[data-action='correct']")));
        Assert.Equal("report?site=mosul", site.Find("[data-action='add-reading']").GetAttribute("href"));
        Assert.Equal("report/daily?site=mosul", site.Find("[data-action='daily-report']").GetAttribute("href"));
        Assert.NotNull(nav.Find("[data-nav='report']"));
    }

    [Fact]
    public async Task Correcting_from_the_site_page_keeps_every_version_in_the_readings_history()
    {
        var at = Now.AddHours(-2);
        await SubmitAsync(Reading("mosul", StationsOpen.Id, at, 22.5));
        SignInAs(Role.Reporter);
        Services.GetRequiredService<NavigationManager>().NavigateTo("sites/mosul?range=7d");
        var dialogs = Render<MudDialogProvider>();
        var site = Render<SitePage>(p => p.Add(c => c.Id, "mosul"));

        site.WaitForAssertion(() => site.Find($"[data-reading='{StationsOpen.Id}'] [data-action='correct']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("[data-dialog='correction'] input[data-field='value']").Input("25"));
        dialogs.Find("textarea[data-field='reason']").Input("Two stations were counted twice");
        dialogs.Find("[data-action='submit-correction']").Click();
        site.WaitForAssertion(() => Assert.Contains("25%", site.Find($"[data-reading='{StationsOpen.Id}']").TextContent, StringComparison.Ordinal));

        site.Find($"[data-reading='{StationsOpen.Id}'] [data-action='history']").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-dialog='history'] [data-version]").Count));
        var versions = dialogs.FindAll("[data-dialog='history'] [data-version]");
        Assert.Contains("22.5%", versions[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("25%", versions[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("reporter@x", versions[1].QuerySelector("[data-recorded]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Two stations were counted twice", versions[1].QuerySelector("[data-reason]")!.TextContent, StringComparison.Ordinal);
    }
}
