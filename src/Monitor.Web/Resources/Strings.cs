namespace Monitor.Web.Resources;

/// <summary>The UI's texts (<c>Strings.resx</c>, one file per language beside it), read through <c>IStringLocalizer&lt;Strings&gt;</c>.</summary>
public sealed class Strings;
