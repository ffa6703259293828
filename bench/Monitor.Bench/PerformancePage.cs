namespace Monitor.Bench;

/// <summary>
/// docs/performance.md, shared by the scenarios: the main run writes the page, <c>--scenario alerts</c>, <c>fanout</c>
/// and <c>import</c> each own one section of it. Whoever writes keeps the sections it does not write.
/// </summary>
public static class PerformancePage
{
    public static string Path => System.IO.Path.Combine(BenchOptions.RepositoryRoot(), "docs", "performance.md");

    /// <summary>The page with one section (from its heading to the next <c>## </c>) replaced, or added at the end.</summary>
    public static string ReplaceSection(string page, string heading, string section)
    {
        var start = page.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start < 0) return page.TrimEnd() + "\n\n" + section.TrimEnd() + "\n";
        var next = page.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var rest = next < 0 ? "" : page[(next + 1)..];
        return page[..start] + section.TrimEnd() + "\n" + (rest.Length > 0 ? "\n" + rest : "");
    }

    /// <summary>One section of the page, heading included, or null.</summary>
    public static string? Section(string page, string heading)
    {
        var start = page.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start < 0) return null;
        var next = page.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return (next < 0 ? page[start..] : page[start..next]).TrimEnd();
    }

    /// <summary>
    /// A freshly rendered page with every section of the old page that it does not write itself carried over as it was:
    /// those of the scenarios run on their own, the weak-link figures a browser test measures, notes written by hand.
    /// </summary>
    public static string KeepOtherSections(string oldPage, string newPage)
    {
        foreach (var heading in Headings(oldPage))
        {
            if (Section(newPage, heading) is null) newPage = ReplaceSection(newPage, heading, Section(oldPage, heading)!);
        }
        return newPage;
    }

    private static IEnumerable<string> Headings(string page) =>
        page.Split('\n').Where(line => line.StartsWith("## ", StringComparison.Ordinal)).Distinct();

    public static async Task WriteSectionAsync(string heading, string section)
    {
        var page = File.Exists(Path) ? await File.ReadAllTextAsync(Path) : "# Performance\n";
        await File.WriteAllTextAsync(Path, ReplaceSection(page, heading, section));
        Console.WriteLine($"Section \"{heading}\" written to {System.IO.Path.GetRelativePath(Environment.CurrentDirectory, Path)}");
    }
}
