using Monitor.Components.Tests.Infrastructure;
using Monitor.Domain.Alerts;
using Monitor.Web.Alerts;
using Monitor.Web.Components.Layout;

namespace Monitor.Components.Tests.Alerts;

[UseCulture("en-GB")]
public sealed class AlertNotificationTests : AlertComponentTest
{
    private string[] SnackbarAlerts() =>
        SnackbarProvider.FindAll("[data-alert-snackbar]").Select(e => e.GetAttribute("data-alert-snackbar")!).ToArray();

    private static AlertView Alert(string siteId, string region, Severity severity) => new(
        Guid.NewGuid(), 1, "rule", "Rule", siteId, siteId, region, "fuel.stations_open_pct", severity, AlertStatus.Firing, false, false, 10, null,
        "message", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null, null, null, null, false);

    [Fact]
    public void Preference_matches_regions_or_sites_at_or_above_its_severity()
    {
        var anbarOrMosul = new AlertPreference(["Anbar"], ["mosul"], Severity.Warning, false, false);

        Assert.True(anbarOrMosul.Matches(Alert("al-qaim-crossing", "Anbar", Severity.Warning)));
        Assert.True(anbarOrMosul.Matches(Alert("mosul", "Ninawa", Severity.Critical)));
        Assert.False(anbarOrMosul.Matches(Alert("kirkuk", "Kirkuk", Severity.Critical)));
        Assert.False(anbarOrMosul.Matches(Alert("al-qaim-crossing", "Anbar", Severity.Info)));
    }

    [Fact]
    public void Without_a_preference_every_critical_alert_and_nothing_else_matches()
    {
        Assert.True(AlertPreference.Default.Matches(Alert("kirkuk", "Kirkuk", Severity.Critical)));
        Assert.False(AlertPreference.Default.Matches(Alert("kirkuk", "Kirkuk", Severity.Warning)));
    }

    [Fact]
    public async Task Saved_preference_is_read_back_for_the_same_person_only()
    {
        var mine = new AlertPreference(["Anbar"], ["mosul"], Severity.Info, Sound: true, BrowserNotifications: true);
        await Preferences.SaveAsync("me", mine, CancellationToken.None);

        var read = await Preferences.GetAsync("me", CancellationToken.None);

        Assert.Equal(["Anbar"], read.Regions);
        Assert.Equal(["mosul"], read.SiteIds);
        Assert.Equal((Severity.Info, true, true), (read.MinSeverity, read.Sound, read.BrowserNotifications));
        Assert.Same(AlertPreference.Default, await Preferences.GetAsync("someone else", CancellationToken.None));
    }

    [Fact]
    public async Task Snackbar_shows_only_new_firing_alerts_that_match_the_persons_preference()
    {
        SignIn("logistics@x", "Viewer");
        await Preferences.SaveAsync("logistics@x", new AlertPreference(["Anbar"], [], Severity.Warning, false, false), CancellationToken.None);
        await StartAlertingAsync();
        await BorderClosedWarningAsync();
        await StationsCriticalAsync();
        Render<AlertNotifier>();

        await SubmitAsync(Reading("mosul", "fuel.stations_open_pct", Evening, 12));
        await ActiveAtAsync("mosul");
        await SubmitAsync(Reading("al-qaim-crossing", "border.status", Evening, "closed"));
        var anbar = await ActiveAtAsync("al-qaim-crossing");

        // Mosul is in Ninawa, not the person's region: only Al Qaim pops up.
        SnackbarProvider.WaitForAssertion(() => Assert.Equal([anbar.Id.ToString()], SnackbarAlerts()));
        Assert.Contains("Al Qaim crossing", SnackbarProvider.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_preference_a_critical_alert_pops_up_but_one_already_firing_at_opening_does_not()
    {
        SignIn("planner@x", "Viewer");
        await StartAlertingAsync();
        await BorderClosedWarningAsync();
        await StationsCriticalAsync();
        await SubmitAsync(Reading("kirkuk", "fuel.stations_open_pct", Evening, 25));
        await ActiveAtAsync("kirkuk");
        Render<AlertNotifier>();

        await SubmitAsync(Reading("al-qaim-crossing", "border.status", Evening, "closed"), Reading("mosul", "fuel.stations_open_pct", Evening, 12));
        var mosul = await ActiveAtAsync("mosul");
        await ActiveAtAsync("al-qaim-crossing");

        SnackbarProvider.WaitForAssertion(() => Assert.Equal([mosul.Id.ToString()], SnackbarAlerts()));
    }

    [Fact]
    public async Task Badge_counts_firing_unsilenced_alerts_as_they_are_pushed()
    {
        SignIn("viewer@x", "Viewer");
        await StartAlertingAsync();
        await StationsCriticalAsync();
        await RefineryOfflinePendingAsync();
        var badge = Render<AlertBadge>();
        Assert.Equal("0", badge.Find("[data-alert-badge]").GetAttribute("data-alert-count"));

        await SubmitAsync(
            Reading("mosul", "fuel.stations_open_pct", Evening, 12),
            Reading("kirkuk", "fuel.stations_open_pct", Evening, 25),
            Reading("baiji-refinery", "refinery.status", Evening, "offline"));

        // Two firing; the refinery is only pending.
        badge.WaitForAssertion(() => Assert.Equal("2", badge.Find("[data-alert-badge]").GetAttribute("data-alert-count")));
        Assert.Equal("true", badge.Find("[data-alert-badge]").GetAttribute("data-critical"));

        await SubmitAsync(Reading("mosul", "fuel.stations_open_pct", Evening.AddMinutes(30), 70));

        badge.WaitForAssertion(() => Assert.Equal("1", badge.Find("[data-alert-badge]").GetAttribute("data-alert-count")));
    }
}
