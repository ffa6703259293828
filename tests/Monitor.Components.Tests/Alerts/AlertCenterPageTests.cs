using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Pages.Alerts;
using MudBlazor;
using Severity = Monitor.Domain.Alerts.Severity;

namespace Monitor.Components.Tests.Alerts;

[UseCulture("en-GB")]
public sealed class AlertCenterPageTests : AlertComponentTest
{
    private IRenderedComponent<AlertCenterPage> RenderPage()
    {
        var page = Render<AlertCenterPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-page='alerts'][data-ready='true']")));
        return page;
    }

    /// <summary>A critical alert firing at Kirkuk, raised by a reading below the rule's threshold.</summary>
    private async Task<AlertView> KirkukFiringAsync()
    {
        await StartAlertingAsync();
        await StationsCriticalAsync();
        await SubmitAsync(Reading("kirkuk", "fuel.stations_open_pct", Evening, 25));
        return await ActiveAtAsync("kirkuk");
    }

    private static string[] ActiveSites(IRenderedComponent<AlertCenterPage> page) =>
        page.FindAll("[data-section='active'] [data-alert] .alert-card__site a").Select(a => a.TextContent).ToArray();

    [Fact]
    public async Task Lists_active_alerts_worst_first_and_keeps_resolved_ones_in_the_history_only()
    {
        SignIn("viewer@x", "Viewer");
        await StartAlertingAsync();
        await RefineryOfflinePendingAsync();
        await BorderClosedWarningAsync();
        await StationsCriticalAsync();
        await SubmitAsync(
            Reading("baiji-refinery", "refinery.status", Evening, "offline"),
            Reading("al-qaim-crossing", "border.status", Evening, "closed"),
            Reading("erbil", "fuel.stations_open_pct", Evening.AddHours(-2), 20),
            Reading("erbil", "fuel.stations_open_pct", Evening, 60),
            Reading("kirkuk", "fuel.stations_open_pct", Evening, 25));
        await ActiveAtAsync("kirkuk");
        await ActiveAtAsync("al-qaim-crossing");
        await ActiveAtAsync("baiji-refinery");

        var page = RenderPage();

        // Critical firing, then warning firing, then warning pending; Erbil's episode is over.
        page.WaitForAssertion(() => Assert.Equal(["Kirkuk", "Al Qaim crossing", "Baiji refinery"], ActiveSites(page)));
        Assert.Equal(["critical", "warning", "warning"], page.FindAll("[data-section='active'] [data-alert]").Select(c => c.GetAttribute("data-severity")));
        Assert.Equal(["firing", "firing", "pending"], page.FindAll("[data-section='active'] [data-alert]").Select(c => c.GetAttribute("data-status")));
        Assert.Contains("25%", page.Find("[data-section='active'] [data-alert] [data-reading]").TextContent, StringComparison.Ordinal);
        Assert.Equal("1", page.Find("[data-summary-severity='critical']").GetAttribute("data-count"));
        Assert.Equal("1", page.Find("[data-summary-severity='warning']").GetAttribute("data-count"));
        Assert.Equal("1", page.Find("[data-summary-status='pending']").GetAttribute("data-count"));

        var history = page.FindAll("[data-section='history'] tbody tr").Select(r => r.TextContent).ToArray();
        Assert.Equal(4, history.Length);
        Assert.Contains(history, row => row.Contains("Erbil", StringComparison.Ordinal) && row.Contains("Resolved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_filters_narrow_the_list()
    {
        SignIn("viewer@x", "Viewer");
        await StartAlertingAsync();
        await BorderClosedWarningAsync();
        await StationsCriticalAsync();
        await SubmitAsync(
            Reading("al-qaim-crossing", "border.status", Evening, "closed"),
            Reading("kirkuk", "fuel.stations_open_pct", Evening, 25));
        await ActiveAtAsync("kirkuk");
        await ActiveAtAsync("al-qaim-crossing");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-section='history'] tbody tr").Count));

        var region = page.FindComponents<MudSelect<string>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-filter"), "region"));
        await page.InvokeAsync(() => region.Instance.ValueChanged.InvokeAsync("Anbar"));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-section='history'] tbody tr")));
        Assert.Contains("Al Qaim crossing", page.Find("[data-section='history'] tbody tr").TextContent, StringComparison.Ordinal);

        var severity = page.FindComponents<MudSelect<Severity?>>().Single();
        await page.InvokeAsync(() => severity.Instance.ValueChanged.InvokeAsync(Severity.Critical));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-empty='history']")));
    }

    [Theory]
    [InlineData("Viewer", false)]
    [InlineData("Reporter", false)]
    [InlineData("Coordinator", true)]
    [InlineData("Admin", true)]
    public async Task Only_coordinators_and_admins_see_acknowledge_and_silence(string role, bool sees)
    {
        SignIn($"{role.ToLowerInvariant()}@x", role);
        await KirkukFiringAsync();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-alert] [data-action='timeline']")));
        Assert.Equal(sees, page.FindAll("[data-alert] [data-action='acknowledge']").Count == 1);
        Assert.Equal(sees, page.FindAll("[data-alert] [data-action='silence']").Count == 1);
    }

    [Fact]
    public async Task Acknowledge_form_refuses_an_overlong_comment_then_acknowledges_with_a_valid_one()
    {
        SignIn(CoordinatorName, "Coordinator");
        var alert = await KirkukFiringAsync();
        var page = RenderPage();

        page.WaitForElement("[data-alert] [data-action='acknowledge']").Click();
        var comment = DialogProvider.WaitForElement("[data-dialog='acknowledge'] textarea[data-field='comment']");
        comment.Change(new string('x', 1_001));
        DialogProvider.Find("button[data-action='submit']").Click();

        DialogProvider.WaitForAssertion(() => Assert.Contains("at most 1,000 characters", DialogProvider.Find("[data-dialog='acknowledge']").TextContent, StringComparison.Ordinal));
        Assert.Null(Assert.Single(Active.Current).AcknowledgedBy);

        DialogProvider.Find("[data-dialog='acknowledge'] textarea[data-field='comment']").Change("Tanker convoy sent from Erbil");
        DialogProvider.Find("button[data-action='submit']").Click();

        DialogProvider.WaitForAssertion(() => Assert.Empty(DialogProvider.FindAll("[data-dialog='acknowledge']")));
        page.WaitForAssertion(() => Assert.Equal(CoordinatorName, page.Find($"[data-alert='{alert.Id}'] [data-acknowledged-by]").GetAttribute("data-acknowledged-by")));
        Assert.Contains("Tanker convoy sent from Erbil", page.Find($"[data-alert='{alert.Id}']").TextContent, StringComparison.Ordinal);
        Assert.Equal(CoordinatorName, Assert.Single(Active.Current).AcknowledgedBy);
    }

    [Fact]
    public async Task Silence_form_asks_for_a_reason_then_marks_the_alert_silenced()
    {
        SignIn(CoordinatorName, "Coordinator");
        var alert = await KirkukFiringAsync();
        var page = RenderPage();

        page.WaitForElement("[data-alert] [data-action='silence']").Click();
        DialogProvider.WaitForElement("[data-dialog='silence'] textarea[data-field='reason']");
        DialogProvider.Find("button[data-action='submit']").Click();

        DialogProvider.WaitForAssertion(() => Assert.Contains("Say why", DialogProvider.Find("[data-dialog='silence']").TextContent, StringComparison.Ordinal));
        Assert.False(Assert.Single(Active.Current).Silenced);

        DialogProvider.Find("[data-dialog='silence'] textarea[data-field='reason']").Change("Known shortage, handled by the fuel cell");
        DialogProvider.Find("button[data-action='submit']").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-alert='{alert.Id}'] [data-flag='silenced']")));
        Assert.Equal("0", page.Find("[data-summary-severity='critical']").GetAttribute("data-count"));
        Assert.Equal("1", page.Find("[data-summary-status='silenced']").GetAttribute("data-count"));
    }

    [Fact]
    public async Task An_alert_raised_while_the_page_is_open_appears_without_reload()
    {
        SignIn("viewer@x", "Viewer");
        await StartAlertingAsync();
        await StationsCriticalAsync();
        var page = RenderPage();
        Assert.NotNull(page.Find("[data-empty='active']"));

        await SubmitAsync(Reading("mosul", "fuel.stations_open_pct", Evening, 12));

        page.WaitForAssertion(() => Assert.Equal(["Mosul"], ActiveSites(page)));
        Assert.Equal("1", page.Find("[data-summary-severity='critical']").GetAttribute("data-count"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-section='history'] tbody tr")));

        await SubmitAsync(Reading("mosul", "fuel.stations_open_pct", Evening.AddMinutes(30), 55));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-empty='active']")));
        page.WaitForAssertion(() => Assert.Contains("Resolved", page.Find("[data-section='history'] tbody tr").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timeline_tells_each_change_of_an_alert_in_order()
    {
        SignIn("viewer@x", "Viewer");
        await StartAlertingAsync();
        await StationsCriticalAsync();
        await SubmitAsync(Reading("erbil", "fuel.stations_open_pct", Evening.AddHours(-2), 20));
        var alert = await ActiveAtAsync("erbil");
        await Commands.AcknowledgeAsync(alert.Id, new AcknowledgeRequest("on it", null), Setup, null, CancellationToken.None);
        await SubmitAsync(Reading("erbil", "fuel.stations_open_pct", Evening, 60));
        await EventuallyAsync(() => Assert.Empty(Active.Current));
        var page = RenderPage();

        page.WaitForElement($"[data-history-alert='{alert.Id}']").ParentElement!.QuerySelector("[data-action='timeline']")!.Click();

        DialogProvider.WaitForElement("[data-dialog='timeline'] ol[data-ready='true']");
        Assert.Equal(["firing", "acknowledged", "resolved"], DialogProvider.FindAll("[data-change]").Select(e => e.GetAttribute("data-change")));
        Assert.Contains("setup@x", DialogProvider.Find("[data-change='acknowledged']").TextContent, StringComparison.Ordinal);
        Assert.Contains("20%", DialogProvider.Find("[data-change='firing']").TextContent, StringComparison.Ordinal);
    }
}
