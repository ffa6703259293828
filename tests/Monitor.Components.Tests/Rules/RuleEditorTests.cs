using AngleSharp.Dom;
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
public sealed class RuleEditorTests : MonitorComponentTest
{
    private AlertRules Rules => Services.GetRequiredService<AlertRules>();

    private IRenderedComponent<RuleEditor> RenderEditor(AlertRule? rule = null)
    {
        Authorization.SetAuthorized("coordinator@x");
        Authorization.SetRoles(nameof(Role.Coordinator));
        Authorization.SetPolicies(nameof(Role.Viewer), nameof(Role.Reporter), nameof(Role.Coordinator));
        return Render<RuleEditor>(p => p.Add(c => c.Rule, rule));
    }

    /// <summary>Chooses a value in the select marked <c>data-field</c>, as picking it from its list does.</summary>
    private static async Task ChooseAsync<T>(IRenderedComponent<RuleEditor> editor, string field, T value)
    {
        var select = editor.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-field"), field));
        await editor.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    /// <summary>The error shown with the input marked <c>data-field</c> (MudBlazor writes it under the input, in the same control).</summary>
    private static string? ErrorUnder(IRenderedComponent<RuleEditor> editor, string field)
    {
        var input = editor.Find($"input[data-field='{field}']");
        return ErrorOf(input.Closest(".mud-input-control")!);
    }

    /// <summary>MudBlazor marks a control in error with <c>mud-input-error</c> and shows the error as its helper text.</summary>
    private static string? ErrorOf(IElement control)
    {
        if (!control.ClassList.Contains("mud-input-error")) return null;
        return control.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }

    [Fact]
    public async Task A_threshold_outside_the_indicators_range_is_named_under_the_threshold_in_the_forms_words()
    {
        var editor = RenderEditor();
        await ChooseAsync(editor, "indicatorId", StationsOpen.Id);

        editor.Find("input[data-field='threshold']").Input("150");

        editor.WaitForAssertion(() => Assert.Equal("Threshold must lie within 0–100 %.", ErrorUnder(editor, "threshold")));
        // Only what was touched speaks up before the rule is submitted.
        Assert.Null(ErrorUnder(editor, "name"));
        Assert.Null(ErrorUnder(editor, "clearThreshold"));
    }

    [Fact]
    public async Task A_clear_threshold_on_the_wrong_side_is_named_under_the_clear_threshold()
    {
        var editor = RenderEditor();
        await ChooseAsync(editor, "indicatorId", StationsOpen.Id);
        editor.Find("input[data-field='threshold']").Input("30");

        editor.Find("input[data-field='clearThreshold']").Input("25");

        editor.WaitForAssertion(() => Assert.Equal(
            "For 'below', clear threshold must be at or above threshold (the alert clears on the way back up).", ErrorUnder(editor, "clearThreshold")));
        Assert.Null(ErrorUnder(editor, "threshold"));
    }

    [Fact]
    public async Task Saving_an_incomplete_rule_shows_every_error_and_saves_nothing()
    {
        var editor = RenderEditor();
        await ChooseAsync(editor, "indicatorId", StationsOpen.Id);

        editor.Find("button[data-action='save']").Click();

        editor.WaitForAssertion(() =>
        {
            Assert.Equal("Give the rule a name.", ErrorUnder(editor, "name"));
            Assert.Equal("Threshold must lie within 0–100 %.", ErrorUnder(editor, "threshold"));
        });
        Assert.Empty(Rules.Current);
    }

    [Fact]
    public async Task A_spike_without_a_baseline_asks_for_one_in_days_not_as_a_timespan()
    {
        var editor = RenderEditor();
        await ChooseAsync(editor, "indicatorId", FuelPrice.Id);
        await ChooseAsync(editor, "operator", ConditionChoice.Spike);
        editor.Find("input[data-field='name']").Input("Price spike");
        editor.Find("input[data-field='threshold']").Input("1.5");

        editor.Find("button[data-action='preview']").Click();

        editor.WaitForAssertion(() =>
        {
            Assert.Equal("A spike needs a baseline window, e.g. 7 days.", ErrorOf(editor.Find("[data-field='baselineWindow'] .mud-input-control")));
        });
        Assert.Empty(editor.FindAll("[data-preview]"));
    }

    [Fact]
    public async Task A_state_rule_offers_exactly_the_states_of_its_indicator()
    {
        var editor = RenderEditor();

        await ChooseAsync(editor, "indicatorId", BorderStatus.Id);

        editor.WaitForAssertion(() => Assert.Equal(
            ["open", "restricted", "closed"], editor.FindAll("[data-state-option]").Select(e => e.GetAttribute("data-state-option"))));
        var conditions = editor.FindComponents<MudSelect<ConditionChoice>>().Single().FindComponents<MudSelectItem<ConditionChoice>>();
        Assert.Equal([ConditionChoice.In, ConditionChoice.NoReport], conditions.Select(c => c.Instance.Value));

        await ChooseAsync(editor, "indicatorId", RefineryStatus.Id);

        editor.WaitForAssertion(() => Assert.Equal(
            ["operating", "reduced", "offline"], editor.FindAll("[data-state-option]").Select(e => e.GetAttribute("data-state-option"))));
    }

    [Fact]
    public async Task Choosing_every_state_is_refused_under_the_states()
    {
        var editor = RenderEditor();
        await ChooseAsync(editor, "indicatorId", BorderStatus.Id);

        foreach (var box in editor.FindComponents<MudCheckBox<bool>>())
        {
            await editor.InvokeAsync(() => box.Instance.ValueChanged.InvokeAsync(true));
        }

        editor.WaitForAssertion(() => Assert.Equal(
            "A rule on every state would always fire; leave out at least one.", editor.Find("[data-error='states']").TextContent.Trim()));
    }

    [Fact]
    public async Task A_valid_rule_is_saved_with_the_fields_its_condition_uses()
    {
        AlertRule? closed = null;
        Authorization.SetAuthorized("coordinator@x");
        Authorization.SetRoles(nameof(Role.Coordinator));
        var editor = Render<RuleEditor>(p => p.Add(c => c.OnClosed, (AlertRule? rule) => closed = rule));
        await ChooseAsync(editor, "indicatorId", StationsOpen.Id);
        editor.Find("input[data-field='name']").Input("Stations low in Kirkuk");
        await ChooseAsync(editor, "scope", RuleScope.Site);
        await ChooseAsync(editor, "siteId", "kirkuk");
        editor.Find("input[data-field='threshold']").Input("25");
        editor.Find("[data-field='for'] input").Input("90");
        await ChooseAsync(editor, "severity", Severity.Critical);

        editor.Find("button[data-action='save']").Click();

        editor.WaitForState(() => closed is not null);
        var saved = Assert.Single(Rules.Current);
        Assert.Equal(closed, saved);
        Assert.Equal(("kirkuk", RuleOperator.Below, 25.0, TimeSpan.FromHours(90), Severity.Critical),
            (saved.SiteId, saved.Operator!.Value, saved.Threshold!.Value, saved.For!.Value, saved.Severity));
        Assert.Null(saved.States);
        Assert.Null(saved.BaselineWindow);
    }
}
