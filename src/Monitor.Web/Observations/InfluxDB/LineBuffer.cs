using System.Buffers;
using System.Globalization;
using System.Text;

namespace Monitor.Web.Observations.InfluxDB;

/// <summary>
/// Line protocol as UTF-8 bytes in a buffer rented from the shared pool: what a write sends, without building it as
/// text first and encoding it afterwards. Return the buffer with <see cref="Dispose"/>.
/// </summary>
internal sealed class LineBuffer : IDisposable
{
    private byte[] _buffer;

    public LineBuffer(int capacity = 256 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>What is written, as a segment of the buffer itself (valid until the next change).</summary>
    public ArraySegment<byte> Segment => new(_buffer, 0, Length);

    public void Clear() => Length = 0;

    public void Append(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Text as UTF-8 (a lone surrogate becomes U+FFFD, as the encoder of a whole text would make it).</summary>
    public void AppendUtf8(ReadOnlySpan<char> text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        Length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(Length));
    }

    /// <summary>The text of a string field between its quotes: <c>"</c> and <c>\</c> escaped with a backslash.</summary>
    public void AppendEscapedString(string text)
    {
        if (text.Length == 0) return;
        var rest = text.AsSpan();
        while (true)
        {
            var at = rest.IndexOfAny('"', '\\');
            if (at < 0)
            {
                AppendUtf8(rest);
                return;
            }
            AppendUtf8(rest[..at]);
            Append((byte)'\\');
            Append((byte)rest[at]);
            rest = rest[(at + 1)..];
        }
    }

    /// <summary>A float as <c>ToString("R")</c> writes it.</summary>
    public void Append(double value)
    {
        Ensure(32);
        if (TryAppendFewDecimals(value)) return;
        if (!value.TryFormat(_buffer.AsSpan(Length), out var written, "R", CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A number did not fit its buffer.");
        Length += written;
    }

    private static readonly double[] PowersOfTen = [1, 10, 100, 1_000];

    /// <summary>
    /// Readings usually carry up to three decimals (37.5 %, 1,250 IQD): those are written as whole numbers with a
    /// decimal point set in, a fraction of the cost of the shortest round-trip search. A value takes this path only when
    /// its digits, read back, give the very same double; below a billion no other digits of that length can, so the
    /// text is what "R" writes.
    /// </summary>
    private bool TryAppendFewDecimals(double value)
    {
        if (!(Math.Abs(value) < 1e9) || value == 0) return false;
        for (var decimals = 0; decimals < PowersOfTen.Length; decimals++)
        {
            var scaled = Math.Round(value * PowersOfTen[decimals]);
            if (scaled / PowersOfTen[decimals] != value) continue;

            var digits = (long)Math.Abs(scaled);
            if (value < 0) _buffer[Length++] = (byte)'-';
            var whole = Math.DivRem(digits, (long)PowersOfTen[decimals], out var fraction);
            whole.TryFormat(_buffer.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
            Length += written;
            if (decimals == 0) return true;
            _buffer[Length++] = (byte)'.';
            for (var place = decimals - 1; place >= 0; place--, fraction /= 10) _buffer[Length + place] = (byte)('0' + fraction % 10);
            Length += decimals;
            return true;
        }
        return false;
    }

    public void Append(long value)
    {
        Ensure(20);
        if (!value.TryFormat(_buffer.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A number did not fit its buffer.");
        Length += written;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Length = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
