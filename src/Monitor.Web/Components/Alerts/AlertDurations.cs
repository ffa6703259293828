namespace Monitor.Web.Components.Alerts;

/// <summary>
/// The periods offered for an acknowledgement or a silence: a choice of a few, not a date picker, because on a phone
/// "for 4 hours" is one tap. <c>null</c> means until the alert resolves.
/// </summary>
public static class AlertDurations
{
    public static IReadOnlyList<TimeSpan?> Acknowledgement { get; } =
        [null, TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(3)];

    public static IReadOnlyList<TimeSpan?> Silence { get; } =
        [null, TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7)];

    public static string Describe(Microsoft.Extensions.Localization.IStringLocalizer<Resources.Strings> l, TimeSpan? period) => period switch
    {
        null => l["Alerts.UntilResolved"],
        { TotalDays: >= 1 } p => l["Alerts.ForDays", (int)p.TotalDays],
        { } p => l["Alerts.ForHours", (int)p.TotalHours],
    };
}
