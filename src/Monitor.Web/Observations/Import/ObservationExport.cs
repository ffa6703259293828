using System.Text;
using Monitor.Domain.Catalog;
using Monitor.Domain.Imports;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Reading;

namespace Monitor.Web.Observations.Import;

/// <summary>
/// Streams raw readings as import-ready CSV with an HXL row: one series after another, each read a month at a time
/// within the range that holds data, so neither a long range nor many series is held in memory.
/// </summary>
public sealed class ObservationExport(IObservationReader reader)
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(31);

    public async Task WriteAsync(IReadOnlyList<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, Stream output, CancellationToken cancellationToken)
    {
        // Only the range that holds readings is read: "everything" is one window per month of data, not of the calendar.
        if (await reader.ExtentAsync(cancellationToken) is { } extent)
        {
            if (extent.First > from) from = extent.First;
            if (extent.Last < to) to = extent.Last;
        }
        else
        {
            series = [];
        }

        await using var body = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true);
        // Sep writes synchronously; it writes into this buffer, which goes out asynchronously after every window.
        var buffer = new StringWriter();
        using var csv = new ObservationCsvWriter(buffer);
        await SendAsync();

        foreach (var key in series)
        {
            for (var start = from; start <= to; start = start + Window)
            {
                var end = StorableTime.Clamp(start + Window - TimeSpan.FromMilliseconds(1));
                if (end > to) end = to;
                foreach (var reading in await reader.ReadAsync(key, start, end, cancellationToken)) csv.Write(reading);
                await SendAsync();
                if (end >= to) break;
            }
        }
        await body.FlushAsync(cancellationToken);

        async Task SendAsync()
        {
            csv.Flush();
            var text = buffer.GetStringBuilder();
            if (text.Length == 0) return;
            await body.WriteAsync(text, cancellationToken);
            text.Clear();
        }
    }

    /// <summary>The series an export asks for, or the query field at fault.</summary>
    public static (IReadOnlyList<SeriesKey> Series, string? Field, string? Error) Select(
        CatalogSnapshot catalog, string? siteId, string? indicatorId, IReadOnlyList<(string SiteId, string IndicatorId)>? dashboard)
    {
        if (dashboard is not null)
        {
            return ([.. dashboard.Distinct()
                .Where(p => catalog.FindSite(p.SiteId) is { } s && catalog.FindIndicator(p.IndicatorId) is { } i && i.AppliesTo(s))
                .Select(p => new SeriesKey(p.SiteId, p.IndicatorId))], null, null);
        }

        Site? site = null;
        if (!string.IsNullOrEmpty(siteId) && (site = catalog.FindSiteByIdOrPcode(siteId)) is null) return ([], "siteId", $"Unknown site '{siteId}'.");
        IndicatorDefinition? indicator = null;
        if (!string.IsNullOrEmpty(indicatorId) && (indicator = catalog.FindIndicator(indicatorId)) is null)
            return ([], "indicatorId", $"Unknown indicator '{indicatorId}'.");

        return (site, indicator) switch
        {
            (null, null) => ([], "siteId", "Name a siteId, an indicatorId, both, or a dashboard."),
            ({ } s, { } i) when !i.AppliesTo(s) => ([], "indicatorId", $"Indicator '{i.Id}' does not apply to {s.Kind} sites such as '{s.Id}'."),
            ({ } s, { } i) => ([new SeriesKey(s.Id, i.Id)], null, null),
            ({ } s, null) => ([.. catalog.IndicatorsFor(s).Select(i => new SeriesKey(s.Id, i.Id))], null, null),
            (null, { } i) => ([.. catalog.Sites.Where(i.AppliesTo).Select(s => new SeriesKey(s.Id, i.Id))], null, null),
        };
    }
}
