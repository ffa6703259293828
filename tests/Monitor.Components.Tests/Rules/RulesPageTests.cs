using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Pages.Rules;
using Monitor.Web.Security;
using MudBlazor;
using Severity = Monitor.Domain.Alerts.Severity;
using static Monitor.Components.Tests.Infrastructure.TestScenario;

namespace Monitor.Components.Tests.Rules;

[UseCulture("en")]
public sealed class RulesPageTests : MonitorComponentTest
{
    private static readonly AlertRule StationsLow = new(
        "stations-low", "Fuel stations open below 30 % for 6 h", StationsOpen.Id, null, null, RuleOperator.Below, 30, 35, null, null,
        TimeSpan.FromHours(6), null, Severity.Critical, Enabled: true);

    private static readonly AlertRule CrossingClosed = new(
        "crossing-closed", "Border crossing closed", BorderStatus.Id, null, "Anbar", RuleOperator.In, null, null, ["restricted", "closed"], null,
        null, null, Severity.Warning, Enabled: false);

    private static readonly AlertRule NoReport = new(
        "no-report", "No station report", StationsOpen.Id, "kirkuk", null, null, null, null, null, null, null, null, Severity.Info, Enabled: true);

    private AlertRules Rules => Services.GetRequiredService<AlertRules>();

    private DateTimeOffset Now => Time.GetUtcNow();

    private async Task SeedRulesAsync()
    {
        foreach (var rule in new[] { StationsLow, CrossingClosed, NoReport }) await Rules.SaveAsync(rule, "seed", CancellationToken.None);
    }

    private IRenderedComponent<RulesPage> RenderAs(Role role, string? edit = null)
    {
        Authorization.SetAuthorized($"{role.ToString().ToLowerInvariant()}@x");
        Authorization.SetRoles(role.ToString());
        Authorization.SetPolicies(Enum.GetValues<Role>().Where(r => r <= role).Select(r => r.ToString()).ToArray());
        Services.GetRequiredService<NavigationManager>().NavigateTo(edit is null ? "rules" : $"rules?edit={edit}");
        return Render<RulesPage>();
    }

    private static string Cell(IRenderedComponent<RulesPage> page, string ruleId, string cell) =>
        page.Find($"[data-rule='{ruleId}']").ParentElement!.QuerySelector($"[data-cell='{cell}']")!.TextContent.Trim();

    [Fact]
    public async Task Each_rule_reads_in_words()
    {
        await SeedRulesAsync();

        var page = RenderAs(Role.Viewer);

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-page='rules']").GetAttribute("data-ready")));
        Assert.Equal("All sites", Cell(page, "stations-low", "scope"));
        Assert.Equal("below 30%; clears at 35%", Cell(page, "stations-low", "condition"));
        Assert.Equal("6 h", Cell(page, "stations-low", "for"));
        Assert.Equal("Critical", Cell(page, "stations-low", "severity"));
        Assert.Equal("Region Anbar", Cell(page, "crossing-closed", "scope"));
        Assert.Equal("state is Restricted or Closed", Cell(page, "crossing-closed", "condition"));
        Assert.Equal("at once", Cell(page, "crossing-closed", "for"));
        Assert.Equal("Kirkuk", Cell(page, "no-report", "scope"));
        // No staleAfter: twice the indicator's 12 h cadence.
        Assert.Equal("no report for 1 day", Cell(page, "no-report", "condition"));
    }

    [Fact]
    public async Task The_active_count_follows_alerts_as_they_fire_and_resolve()
    {
        await SeedRulesAsync();
        var page = RenderAs(Role.Viewer);
        page.WaitForAssertion(() => Assert.Equal("none", Cell(page, "stations-low", "active")));

        var alert = await AlertTestServices.RaiseAsync(Services,
            AlertTestServices.Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-7)), Now);

        page.WaitForAssertion(() => Assert.Equal("1 active", Cell(page, "stations-low", "active")));

        await AlertTestServices.RaiseAsync(Services, alert with { Status = AlertStatus.Resolved, ResolvedAt = Now }, Now);

        page.WaitForAssertion(() => Assert.Equal("none", Cell(page, "stations-low", "active")));
    }

    [Fact]
    public async Task A_viewer_reads_the_rules_but_cannot_change_them()
    {
        await SeedRulesAsync();

        var page = RenderAs(Role.Viewer, edit: "stations-low");

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-page='rules']").GetAttribute("data-ready")));
        Assert.Empty(page.FindAll("[data-action='new-rule']"));
        Assert.Empty(page.FindAll("[data-action='edit']"));
        Assert.Empty(page.FindAll("[data-action='delete']"));
        Assert.Empty(page.FindAll("[data-rule-editor]"));
        Assert.All(page.FindComponents<MudSwitch<bool>>(), s => Assert.True(s.Instance.Disabled));
    }

    [Fact]
    public async Task A_coordinator_switches_a_rule_off_from_the_list()
    {
        await SeedRulesAsync();
        var page = RenderAs(Role.Coordinator);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-action='edit']")));

        page.Find("[data-rule='stations-low']").ParentElement!.QuerySelector("[data-cell='enabled'] input")!.Change(false);

        page.WaitForAssertion(() => Assert.False(Rules.Find(StationsLow.Id)!.Enabled));
        var switchedOff = Rules.Find(StationsLow.Id)!;
        Assert.False(switchedOff.Enabled);
    }

    [Fact]
    public async Task Deleting_asks_first_and_removes_the_rule_only_when_confirmed()
    {
        await SeedRulesAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = RenderAs(Role.Coordinator);
        var delete = page.Find("[data-rule='stations-low']").ParentElement!.QuerySelector("button[data-action='delete']")!;

        delete.Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());
        Assert.NotNull(Rules.Find("stations-low"));

        page.Find("[data-rule='stations-low']").ParentElement!.QuerySelector("button[data-action='delete']")!.Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-rule='stations-low']")));
        Assert.Null(Rules.Find("stations-low"));
    }

    [Fact]
    public async Task A_coordinator_opens_the_editor_from_the_address()
    {
        await SeedRulesAsync();

        var page = RenderAs(Role.Coordinator, edit: "stations-low");

        page.WaitForAssertion(() => Assert.Equal("stations-low", page.Find("[data-rule-editor]").GetAttribute("data-rule-editor")));
        Assert.Equal("30", page.Find("input[data-field='threshold']").GetAttribute("value"));
        Assert.Equal("6", page.Find("[data-field='for'] input").GetAttribute("value"));
    }

    [Fact]
    public async Task What_a_coordinator_typed_stays_while_alerts_change_around_the_editor()
    {
        await SeedRulesAsync();
        var page = RenderAs(Role.Coordinator, edit: "stations-low");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-rule-editor]")));
        page.Find("input[data-field='threshold']").Input("25");

        await AlertTestServices.RaiseAsync(Services,
            AlertTestServices.Alert("stations-low", "mosul", StationsOpen.Id, Severity.Critical, Now.AddHours(-7)), Now);

        page.WaitForAssertion(() => Assert.Equal("1 active", Cell(page, "stations-low", "active")));
        Assert.Equal("25", page.Find("input[data-field='threshold']").GetAttribute("value"));
    }
}
