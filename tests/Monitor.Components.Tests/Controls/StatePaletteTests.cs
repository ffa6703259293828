using Monitor.Domain.Catalog;
using Monitor.Web.Components.Controls;

namespace Monitor.Components.Tests.Controls;

public sealed class StatePaletteTests
{
    [Fact]
    public void Three_states_run_green_amber_red_from_normal_to_worst()
    {
        var border = Indicator("open", "restricted", "closed");

        Assert.Equal(StatePalette.Normal, StatePalette.ColorOf(border, "open"));
        Assert.Equal(StatePalette.Degraded, StatePalette.ColorOf(border, "restricted"));
        Assert.Equal(StatePalette.Worst, StatePalette.ColorOf(border, "closed"));
    }

    [Fact]
    public void Two_states_are_green_and_red()
    {
        var power = Indicator("on", "off");

        Assert.Equal([StatePalette.Normal, StatePalette.Worst], StatePalette.ColorsOf(power));
    }

    [Fact]
    public void An_operator_defined_indicator_with_more_states_gets_distinct_colours_between_amber_and_orange()
    {
        var colours = StatePalette.ColorsOf(Indicator("normal", "watch", "warning", "alert", "failed"));

        Assert.Equal(StatePalette.Normal, colours[0]);
        Assert.Equal(StatePalette.Degraded, colours[1]);
        Assert.Equal(StatePalette.Severe, colours[3]);
        Assert.Equal(StatePalette.Worst, colours[4]);
        Assert.Equal(5, colours.Distinct().Count());
    }

    [Fact]
    public void State_names_match_regardless_of_case_and_unknown_states_are_grey()
    {
        var refinery = Indicator("operating", "reduced", "offline");

        Assert.Equal(StatePalette.Worst, StatePalette.ColorOf(refinery, "Offline"));
        Assert.Equal(StatePalette.Unknown, StatePalette.ColorOf(refinery, "on fire"));
        Assert.Equal(StatePalette.Unknown, StatePalette.ColorOf(refinery, null));
    }

    [Fact]
    public void Text_on_amber_is_dark_and_on_green_or_red_light()
    {
        Assert.Equal("#1B1B1B", StatePalette.TextOn(StatePalette.Degraded));
        Assert.Equal("#FFFFFF", StatePalette.TextOn(StatePalette.Normal));
        Assert.Equal("#FFFFFF", StatePalette.TextOn(StatePalette.Worst));
    }

    private static IndicatorDefinition Indicator(params string[] states) =>
        new("x.status", "Status", IndicatorKind.State, null, null, null, states, ["city"], TimeSpan.FromHours(6));
}
