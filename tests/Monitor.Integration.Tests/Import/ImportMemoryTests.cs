using System.Globalization;
using System.Net;
using System.Text;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;
using Xunit.Abstractions;
using static Monitor.Integration.Tests.Import.ImportApi;

namespace Monitor.Integration.Tests.Import;

/// <summary>
/// 100,000 rows (a 47 MB upload, each row with a 400-character note) stream through the import with the app's
/// retained memory well under the file's size: the upload goes to a spool on disk and is read a batch at a time.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class ImportMemoryTests(KestrelMonitorAppFactory app, ITestOutputHelper output) : IClassFixture<KestrelMonitorAppFactory>
{
    private const int Rows = 100_000;
    private static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A limit the app would pass several times over if it held the file: as bytes it is 47 MB, as text twice that.</summary>
    private const long RetainedLimit = 40L * 1024 * 1024;

    [Fact]
    public async Task A_hundred_thousand_rows_import_with_the_heap_far_below_the_file_size()
    {
        using var reporter = ObservationImportTests.Client(app, ReporterKey);
        await reporter.GetDayAsync(Kirkuk, FuelStationsOpen, Start); // the app is up before the baseline

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        using var importing = new CancellationTokenSource();
        // The live heap, sampled by full collections throughout the import: garbage does not count, a buffered upload would.
        var sampler = Task.Run(async () =>
        {
            while (!importing.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                await Task.Delay(20);
            }
        });

        var content = new RowsContent();
        using var response = await reporter.PostAsync("/api/observations/import", content);
        await importing.CancelAsync();
        await sampler;

        var answer = await response.ReadImportAsync();
        Assert.Equal((Rows, 0), (answer.Imported, answer.Rejected));
        Assert.True(content.BytesWritten > 45L * 1024 * 1024, $"The upload was {content.BytesWritten:N0} bytes.");
        var retained = peak - baseline;
        output.WriteLine($"Upload {content.BytesWritten / (1024 * 1024)} MB; live heap grew by at most {retained / (1024 * 1024)} MB.");
        Assert.True(retained < RetainedLimit, $"The live heap grew by {retained / (1024 * 1024)} MB during the import.");

        var stored = await reporter.GetSeriesAsync(Kirkuk, FuelStationsOpen, Start, Start.AddMinutes(Rows), maxPoints: 1);
        Assert.Equal(Rows, Assert.Single(stored.Points).Count);
    }

    /// <summary>The upload, generated row by row as it is sent (chunked, no length announced).</summary>
    private sealed class RowsContent : HttpContent
    {
        private static readonly string Note = string.Concat(Enumerable.Repeat("queue at the station since dawn ", 13)).PadRight(400, '.');

        public RowsContent() => Headers.ContentType = new("text/csv");

        public long BytesWritten { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var text = new StringBuilder(Header).Append('\n');
            for (var i = 0; i < Rows; i++)
            {
                text.Append(Kirkuk).Append(',').Append(FuelStationsOpen).Append(',').Append(Iso(Start.AddMinutes(i))).Append(',')
                    .Append((i % 1000 / 10.0).ToString(CultureInfo.InvariantCulture)).Append(",,field team,").Append(Note).Append('\n');
                if (text.Length > 64 * 1024 || i == Rows - 1)
                {
                    var bytes = Encoding.UTF8.GetBytes(text.ToString());
                    await stream.WriteAsync(bytes);
                    BytesWritten += bytes.Length;
                    text.Clear();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>Tests that measure this process's memory run after the others, alone: other tests' allocations would count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
