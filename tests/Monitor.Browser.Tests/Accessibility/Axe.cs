using System.Text.Json;
using Microsoft.Playwright;

namespace Monitor.Browser.Tests.Accessibility;

public sealed record AxeViolation(string Id, string Impact, string Help, string[] Targets)
{
    public override string ToString() => $"{Id} ({Impact}): {Help}\n      " + string.Join("\n      ", Targets);
}

/// <summary>axe-core (npm, pinned in package.json, copied next to the tests at build) run inside a page.</summary>
public static class Axe
{
    /// <summary>WCAG 2.1 A and AA, and axe's best practices, which hold the landmark rules (one main, one banner, regions).</summary>
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

    private static readonly Lazy<string> Source = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js")));

    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page)
    {
        // Evaluated through the browser's debugging protocol, so the page's Content-Security-Policy does not apply.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(Source.Value);
        var json = await page.EvaluateAsync<string>("""
            async tags => JSON.stringify((await axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations
              .map(v => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })))
            """, Tags);
        return JsonSerializer.Deserialize<AxeViolation[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
