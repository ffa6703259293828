using System.Globalization;
using Microsoft.Extensions.Localization;
using Monitor.Domain.Observations;
using Monitor.Web.Resources;

namespace Monitor.Web.Components.Controls.Readings;

/// <summary>How readings, ages, states and kinds read on screen, in the current culture.</summary>
public static class ReadingText
{
    /// <summary>Beyond this an age in hours or days stops being useful and the date itself reads better.</summary>
    private static readonly TimeSpan RelativeAgeLimit = TimeSpan.FromDays(7);

    public static string Value(double value, string? unit)
    {
        var culture = CultureInfo.CurrentCulture;
        var number = Math.Abs(value) >= 100 ? value.ToString("N0", culture) : value.ToString("#,##0.#", culture);
        if (string.IsNullOrEmpty(unit)) return number;
        return unit == "%" ? number + unit : $"{number} {unit}";
    }

    public static string Age(this IStringLocalizer<Strings> l, DateTimeOffset timestamp, DateTimeOffset now)
    {
        var age = now - timestamp;
        if (age < TimeSpan.FromMinutes(1)) return l["Age.JustNow"];
        if (age < TimeSpan.FromHours(1)) return l["Age.Minutes", (int)age.TotalMinutes];
        if (age < TimeSpan.FromHours(48)) return l["Age.Hours", (int)age.TotalHours];
        if (age < RelativeAgeLimit) return l["Age.Days", (int)age.TotalDays];
        return Date(timestamp);
    }

    public static string Date(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>Times are shown in UTC everywhere (charts too), and say so.</summary>
    public static string Timestamp(this IStringLocalizer<Strings> l, DateTimeOffset timestamp) =>
        l["Time.Utc", timestamp.UtcDateTime.ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture)];

    public static string Freshness(this IStringLocalizer<Strings> l, Freshness freshness) => l[$"Freshness.{freshness}"];

    /// <summary>A state's label: translated when the resources know it, otherwise the operator's word made readable.</summary>
    public static string State(this IStringLocalizer<Strings> l, string state) => Known(l, $"State.{state}", state);

    public static string SiteKind(this IStringLocalizer<Strings> l, string kind) => Known(l, $"SiteKind.{kind}", kind);

    private static string Known(IStringLocalizer<Strings> l, string key, string raw)
    {
        var text = l[key];
        if (!text.ResourceNotFound) return text;
        var words = raw.Replace('_', ' ').Replace('-', ' ');
        return words.Length == 0 ? words : char.ToUpper(words[0], CultureInfo.CurrentCulture) + words[1..];
    }
}
