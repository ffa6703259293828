namespace Monitor.Web.Components.Pages.Rules;

public enum DurationUnit
{
    Minutes,
    Hours,
    Days,
}
