using Monitor.Domain.Catalog;

namespace Monitor.Domain.Kobo;

/// <summary>
/// How one KoboToolbox (or ODK) form becomes observations: which form field names the site, which holds the time of the
/// report, and which question feeds which indicator. Fields are the paths Kobo sends, <c>group/question</c>.
/// </summary>
public sealed record KoboMapping
{
    /// <summary>The name in the endpoint's URL; the file name when the file does not say.</summary>
    public string Id { get; init; } = "";

    public string? Title { get; init; }

    /// <summary>The field whose answer is the site: a site id, or a choice named in <see cref="SiteChoices"/>.</summary>
    public string? Site { get; init; }

    /// <summary>Choice name → site id, for a form whose site list uses its own names; empty means the answer is the site id.</summary>
    public IReadOnlyDictionary<string, string>? SiteChoices { get; init; }

    /// <summary>The field holding the time of the report; Kobo's <c>end</c> (when the enumerator finished) unless said otherwise.</summary>
    public string Timestamp { get; init; } = "end";

    /// <summary>The <c>source</c> every observation of this form records.</summary>
    public string? Source { get; init; }

    /// <summary>An optional free-text field copied into each observation's note.</summary>
    public string? Note { get; init; }

    public IReadOnlyList<KoboQuestion>? Questions { get; init; }
}

/// <summary>One question feeding one indicator: a number for a numeric indicator, a select_one whose choices map to states.</summary>
public sealed record KoboQuestion
{
    public string? Field { get; init; }

    public string? Indicator { get; init; }

    /// <summary>Choice name → state of the indicator; required for a state indicator, not allowed for a numeric one.</summary>
    public IReadOnlyDictionary<string, string>? Choices { get; init; }
}

/// <summary>Checks a mapping against the catalog before it is used. Errors name the mapping field, e.g. <c>questions[2].choices.blocked</c>.</summary>
public static class KoboMappingValidator
{
    /// <summary>The first problem of a mapping, or null when it can be used.</summary>
    public static string? Validate(KoboMapping mapping, CatalogSnapshot catalog)
    {
        if (mapping.Id.Length == 0 || !mapping.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return $"id: '{mapping.Id}' must use lowercase letters, digits and '-'";
        if (string.IsNullOrWhiteSpace(mapping.Site)) return "site: name the form field that holds the site";
        if (string.IsNullOrWhiteSpace(mapping.Timestamp)) return "timestamp: name the form field that holds the time of the report";
        foreach (var (choice, siteId) in mapping.SiteChoices ?? new Dictionary<string, string>())
        {
            if (catalog.FindSite(siteId ?? "") is null) return $"siteChoices.{choice}: unknown site '{siteId}'";
        }
        if (mapping.Questions is not { Count: > 0 } questions) return "questions: map at least one question to an indicator";

        var fields = new HashSet<string>(StringComparer.Ordinal);
        for (var q = 0; q < questions.Count; q++)
        {
            var at = $"questions[{q}]";
            var question = questions[q];
            if (question is null) return $"{at}: a question object is required";
            if (string.IsNullOrWhiteSpace(question.Field)) return $"{at}.field: name the form field (group/question)";
            if (!fields.Add(question.Field)) return $"{at}.field: '{question.Field}' is mapped twice";
            if (catalog.FindIndicator(question.Indicator ?? "") is not { } indicator) return $"{at}.indicator: unknown indicator '{question.Indicator}'";

            if (indicator.Kind == IndicatorKind.Numeric)
            {
                if (question.Choices is { Count: > 0 }) return $"{at}.choices: '{indicator.Id}' is numeric; its answer is the number itself";
                continue;
            }
            if (question.Choices is not { Count: > 0 } choices) return $"{at}.choices: map the choices of '{question.Field}' to states of '{indicator.Id}'";
            foreach (var (choice, state) in choices)
            {
                if (!indicator.States.Contains(state ?? "", StringComparer.Ordinal))
                    return $"{at}.choices.{choice}: '{state}' is not a state of '{indicator.Id}' ({string.Join(", ", indicator.States)})";
            }
        }
        return null;
    }
}
