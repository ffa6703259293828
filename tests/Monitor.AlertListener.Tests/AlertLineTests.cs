using System.Text.Json;
using Monitor.AlertListener;

namespace Monitor.AlertListener.Tests;

public sealed class AlertLineTests
{
    private const string Firing = """
        {"id":"0f8fad5b-d9cb-469f-a165-70867728950e","sequence":42,"ruleId":"mosul-below-30","ruleName":"Mosul below 30",
         "siteId":"mosul","siteName":"Mosul","region":"Ninawa","indicatorId":"fuel.stations_open_pct","severity":"critical",
         "status":"firing","flapping":false,"noData":false,"value":12,"state":null,
         "message":"Fuel stations open at Mosul is 12 % — below 30 %","startedAt":"2026-11-29T07:40:00+00:00",
         "firedAt":"2026-11-29T07:41:03+00:00","resolvedAt":null,"acknowledgedBy":null,"acknowledgedAt":null,
         "acknowledgedUntil":null,"comment":null,"silenced":false,"addedLater":{"kept":true}}
        """;

    private static AlertChange Read(string json) => AlertChange.Read(JsonDocument.Parse(json).RootElement);

    private static string With(string json, string property, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node[property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return node.ToJsonString();
    }

    [Fact]
    public void Firing_alert_reads_as_time_severity_status_site_and_message()
    {
        Assert.Equal(
            "2026-11-29 07:41:03Z  critical  firing    Mosul (Ninawa)  Fuel stations open at Mosul is 12 % — below 30 %",
            AlertLine.Format(Read(Firing)));
    }

    [Fact]
    public void Acknowledgement_shows_who_and_takes_the_time_of_the_acknowledgement_in_utc()
    {
        var json = With(With(Firing, "acknowledgedBy", "\"ops@example.org\""), "acknowledgedAt", "\"2026-11-29T11:15:00+03:00\"");

        Assert.Equal(
            "2026-11-29 08:15:00Z  critical  firing    Mosul (Ninawa)  Fuel stations open at Mosul is 12 % — below 30 %  [acknowledged by ops@example.org]",
            AlertLine.Format(Read(json)));
    }

    [Fact]
    public void Resolution_takes_the_time_it_resolved()
    {
        var json = With(With(Firing, "status", "\"resolved\""), "resolvedAt", "\"2026-11-29T08:00:00Z\"");

        Assert.StartsWith("2026-11-29 08:00:00Z  critical  resolved  Mosul", AlertLine.Format(Read(json)), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_the_server_cannot_break_the_line_or_drive_the_terminal()
    {
        var json = With(With(Firing, "siteName", "\"Mosul\\u001b]0;owned\\u0007\""), "message", "\"two\\nlines\\r\\u202Eevil\"");

        var line = AlertLine.Format(Read(json));

        Assert.DoesNotContain(line, char.IsControl);
        Assert.DoesNotContain('\u202E', line);
        Assert.Contains("Mosul ]0;owned  (Ninawa)  two lines  evil", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_the_object_exactly_as_received()
    {
        var element = JsonDocument.Parse(Firing).RootElement;

        Assert.Equal(element.GetRawText(), Read(Firing).Json);
        Assert.Contains("\"addedLater\":{\"kept\":true}", Read(Firing).Json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("sequence")]
    [InlineData("siteId")]
    public void A_message_without_what_tracks_it_is_refused(string property)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Firing)!.AsObject();
        node.Remove(property);

        Assert.Throws<FormatException>(() => Read(node.ToJsonString()));
    }

    [Theory]
    [InlineData("info", false)]
    [InlineData("warning", true)]
    [InlineData("critical", true)]
    public void Filter_keeps_severity_at_or_above_the_minimum(string severity, bool kept) =>
        Assert.Equal(kept, new AlertFilter([], [], Severity.Warning).Matches(Read(With(Firing, "severity", $"\"{severity}\""))));

    [Theory]
    [InlineData("ninawa", "other", true)]
    [InlineData("Anbar", "mosul", true)]
    [InlineData("Anbar", "Mosul", false)]
    public void Filter_keeps_a_site_of_a_region_or_named_by_id(string region, string siteId, bool kept) =>
        Assert.Equal(kept, new AlertFilter([region], [siteId], Severity.Info).Matches(Read(Firing)));
}
