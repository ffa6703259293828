using System.Text;
using Monitor.Domain.Catalog;
using Monitor.Domain.Imports;

namespace Monitor.Web.Observations.Import;

/// <summary>
/// An uploaded CSV on disk, deleted when disposed. An import reads it twice (check every row, then commit), so the
/// upload is never held in memory and an all-or-nothing import can refuse before anything is stored.
/// </summary>
public sealed class ImportSpool : IAsyncDisposable
{
    /// <summary>The largest file an import takes.</summary>
    public const long MaxBytes = 50L * 1024 * 1024;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FileStream _file;

    private ImportSpool(FileStream file) => _file = file;

    public long Length => _file.Length;

    /// <summary>How far the current read has come through the file, 0 to 1.</summary>
    public double ReadFraction => _file.Length == 0 ? 1 : Math.Min(1, (double)_file.Position / _file.Length);

    /// <exception cref="ImportTooLargeException">The source holds more than <paramref name="maxBytes"/>.</exception>
    public static async Task<ImportSpool> CopyAsync(Stream source, long maxBytes, CancellationToken cancellationToken, IProgress<long>? copied = null)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"monitor-import-{Guid.NewGuid():N}.csv"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (file.Length + read > maxBytes) throw new ImportTooLargeException(maxBytes);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied?.Report(file.Length);
            }
            await file.FlushAsync(cancellationToken);
            return new ImportSpool(file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>The file's rows from the start; reading text that is not UTF-8 throws <see cref="DecoderFallbackException"/>.</summary>
    public IEnumerable<ImportRow> Rows(CatalogSnapshot catalog)
    {
        _file.Position = 0;
        using var reader = new StreamReader(_file, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        foreach (var row in ObservationCsv.Read(reader, catalog)) yield return row;
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}

public sealed class ImportTooLargeException(long maxBytes) : Exception($"An import file may be at most {maxBytes / (1024 * 1024)} MB.");
