namespace Monitor.Bench;

/// <summary>
/// docs/performance.md, shared by the scenarios: the main run writes the page, <c>--scenario alerts</c> and
/// <c>--scenario import</c> each own one section of it. Whoever writes keeps the sections it does not own.
/// </summary>
public static class PerformancePage
{
    /// <summary>
    /// The sections that scenarios run on their own write, the weak-link figures (which a browser test measures) and the
    /// notes written by hand about what a profile found; the main run carries them over as they are.
    /// </summary>
    public static readonly string[] OwnedSections =
    [
        "## Alert latency", "## Alert latency: what it took", "## Fan-out", "## Fan-out at a sustained rate", ImportThroughput.Heading,
        "## Weak links", "## Ingest: a garbage collector setting tried", "## Ingest: warm-up, spread between runs, and what the 4-client bar needs",
    ];

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

    /// <summary>A freshly rendered page with the owned sections of the old page carried over.</summary>
    public static string KeepOwnedSections(string oldPage, string newPage)
    {
        foreach (var heading in OwnedSections)
        {
            if (Section(oldPage, heading) is { } kept) newPage = ReplaceSection(newPage, heading, kept);
        }
        return newPage;
    }

    public static async Task WriteSectionAsync(string heading, string section)
    {
        var page = File.Exists(Path) ? await File.ReadAllTextAsync(Path) : "# Performance\n";
        await File.WriteAllTextAsync(Path, ReplaceSection(page, heading, section));
        Console.WriteLine($"Section \"{heading}\" written to {System.IO.Path.GetRelativePath(Environment.CurrentDirectory, Path)}");
    }
}
