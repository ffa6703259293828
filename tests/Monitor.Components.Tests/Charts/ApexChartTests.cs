using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Monitor.Components.Tests.Infrastructure;
using Monitor.Web.Components.Controls.Charts;

namespace Monitor.Components.Tests.Charts;

public sealed class ApexChartTests : MonitorComponentTest
{
    public ApexChartTests()
    {
        // Strict: a call the chart should not make (a second create, say) fails the test.
        ChartModule.Mode = JSRuntimeMode.Strict;
        ChartModule.SetupVoid("create", _ => true).SetVoidResult();
        ChartModule.SetupVoid("updateSeries", _ => true).SetVoidResult();
        ChartModule.SetupVoid("updateOptions", _ => true).SetVoidResult();
        ChartModule.SetupVoid("destroy", _ => true).SetVoidResult();
    }

    [Fact]
    public void Imports_its_module_and_creates_the_chart_with_the_series_it_was_given()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, LineOptions(("Mosul", [[1000, 40.5], [2000, 38]]))));

        var create = ChartModule.VerifyInvoke("create");
        Assert.Equal(cut.Instance.Id, create.Arguments[0]);
        Assert.IsType<ElementReference>(create.Arguments[1]);
        var options = JsonNode.Parse((string)create.Arguments[2]!)!;
        var series = Assert.Single(options["series"]!.AsArray());
        Assert.Equal("Mosul", (string?)series!["name"]);
        Assert.Equal("[[1000,40.5],[2000,38]]", series["data"]!.ToJsonString());
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "import" && (string?)i.Arguments[0] == ApexChart.ModulePath);
    }

    [Fact]
    public async Task New_data_updates_the_series_of_the_existing_chart_instead_of_re_creating_it()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, LineOptions(("Mosul", [[1000, 40.5]]))));
        ChartModule.VerifyInvoke("create");

        var fresh = new JsonArray(new JsonObject { ["name"] = "Mosul", ["data"] = new JsonArray(new JsonArray(1000, 40.5), new JsonArray(3000, 12)) });
        await cut.InvokeAsync(() => cut.Instance.UpdateSeriesAsync(fresh));

        var update = ChartModule.VerifyInvoke("updateSeries");
        Assert.Equal(cut.Instance.Id, update.Arguments[0]);
        Assert.Equal(fresh.ToJsonString(), update.Arguments[1]);
        ChartModule.VerifyInvoke("create", calledTimes: 1);
    }

    [Fact]
    public void New_options_update_the_existing_chart_in_place()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, LineOptions(("Mosul", [[1000, 40.5]]))));

        cut.Render(p => p.Add(c => c.Options, LineOptions(("Kirkuk", [[1000, 70]]))));

        var update = ChartModule.VerifyInvoke("updateOptions");
        Assert.Contains("Kirkuk", (string)update.Arguments[1]!);
        ChartModule.VerifyInvoke("create", calledTimes: 1);
    }

    [Fact]
    public async Task Disposing_the_component_destroys_its_chart()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, LineOptions(("Mosul", [[1000, 40.5]]))));
        var id = cut.Instance.Id;

        await DisposeComponentsAsync();

        var destroy = ChartModule.VerifyInvoke("destroy");
        Assert.Equal(id, destroy.Arguments[0]);
    }

    [Fact]
    public async Task A_circuit_that_is_already_gone_does_not_fail_the_disposal()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, LineOptions(("Mosul", [[1000, 40.5]]))));
        ChartModule.SetupVoid("destroy", _ => true).SetException(new JSDisconnectedException("The circuit is gone."));

        await cut.Instance.DisposeAsync();

        ChartModule.VerifyInvoke("destroy");
    }

    private static JsonObject LineOptions(params (string Name, double[][] Points)[] series) => new()
    {
        ["chart"] = new JsonObject { ["type"] = "line" },
        ["series"] = new JsonArray([.. series.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["data"] = new JsonArray([.. s.Points.Select(p => (JsonNode)new JsonArray([.. p.Select(v => (JsonNode)v)]))]),
        })]),
    };
}
