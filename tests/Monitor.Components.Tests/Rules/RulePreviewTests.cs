using Microsoft.Extensions.DependencyInjection;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Alerts;
using Monitor.Web.Components.Pages.Rules;
using Monitor.Web.Security;

namespace Monitor.Components.Tests.Rules;

/// <summary>The preview against the shipped reference scenario, as a coordinator sees it before saving.</summary>
[UseCulture("en")]
public sealed class RulePreviewTests : MonitorComponentTest
{
    [Fact]
    public async Task Fuel_stations_open_below_30_percent_for_6_hours_would_have_fired_at_Mosul_and_Tal_Afar()
    {
        var rules = await ReferenceScenario.LoadAsync(Services);
        var stationsLow = rules.Single(r => r.Id == "fuel-stations-low");
        Authorization.SetAuthorized("coordinator@x");
        Authorization.SetRoles(nameof(Role.Coordinator));
        var editor = Render<RuleEditor>(p => p.Add(c => c.Rule, stationsLow));

        editor.Find("button[data-action='preview']").Click();

        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-episode-site]")));
        var fired = editor.FindAll("[data-episode-site][data-fired='true']").Select(r => r.GetAttribute("data-episode-site")).ToHashSet();
        Assert.Contains("mosul", fired);
        Assert.Contains("tal-afar", fired);
        // Cities that stayed well above 35 % never breach.
        Assert.DoesNotContain("erbil", fired);
        Assert.DoesNotContain("baghdad", fired);
        Assert.Contains("mosul", editor.FindAll("[data-timeline-site]").Select(r => r.GetAttribute("data-timeline-site")));
        var mosul = editor.FindAll("[data-episode-site='mosul'][data-fired='true']")[0];
        Assert.Contains("Mosul", mosul.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("%", mosul.QuerySelector("[data-peak]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("Would have raised", editor.Find("[data-preview-summary]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_after_the_preview_says_it_is_out_of_date()
    {
        var rules = await ReferenceScenario.LoadAsync(Services);
        Authorization.SetAuthorized("coordinator@x");
        Authorization.SetRoles(nameof(Role.Coordinator));
        var editor = Render<RuleEditor>(p => p.Add(c => c.Rule, rules.Single(r => r.Id == "fuel-stations-low")));
        editor.Find("button[data-action='preview']").Click();
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-episode-site]")));
        Assert.Empty(editor.FindAll("[data-preview-stale]"));

        editor.Find("input[data-field='threshold']").Input("5");

        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-preview-stale]")));
    }
}
