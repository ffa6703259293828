using System.Buffers.Binary;
using System.Text;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations.Ingest;

/// <summary>
/// The changes of a batch as the outbox and the dead letters keep them: a compact binary form, read back exactly as
/// written (every field, null and empty text apart, timestamps to the tick with their offsets, values bit for bit).
/// </summary>
/// <remarks>
/// <para>
/// A batch of 5,000 readings takes about 80 KB: each change is a header byte, its text fields as references into a
/// table of the short strings already written (ids and sources repeat from item to item), its timestamp as the
/// difference to the one before, and its value as 8 bytes. Writing it costs a small fraction of the compressed JSON
/// it replaces, which spent more on the commit than the commit's own disk sync.
/// </para>
/// <para>
/// Layout: the marker byte <see cref="Marker"/> (gzip, the earlier form, starts with 0x1F), the format version, the
/// number of changes, then the changes. Text is 0 for null, 1 and 2 for text that follows (UTF-8, length first; 2 also
/// adds it to the table), and 3 + i for the table's entry i. Numbers are unsigned LEB128, timestamps zigzag-encoded.
/// <see cref="IngestJournal"/> still reads rows in the earlier form (compressed JSON), so an outbox left by an older
/// version drains as before.
/// </para>
/// </remarks>
internal static class ChangeCodec
{
    private const byte Marker = 0xC5;
    private const byte Version = 1;
    private const int TableableLength = 64;

    // Header bits: the kind in the low two, then what follows.
    private const int HasPrevious = 1 << 2, HasValue = 1 << 3, HasRecordedAt = 1 << 4, Voided = 1 << 5;

    public static byte[] Encode(IReadOnlyList<ObservationChange> changes)
    {
        var writer = new Writer(Interlocked.Exchange(ref _spare, null) ?? new byte[64 * 1024]);
        try
        {
            writer.Byte(Marker);
            writer.Byte(Version);
            writer.UInt((ulong)changes.Count);
            foreach (var change in changes)
            {
                var reading = change.Reading;
                writer.Byte((byte)((int)change.Kind | (change.Previous is null ? 0 : HasPrevious) | ReadingFlags(reading)));
                writer.Reading(reading);
                writer.Text(change.Reason);
                if (change.Previous is { } previous)
                {
                    writer.Byte((byte)(ReadingFlags(previous.Reading) | (previous.RecordedAt is null ? 0 : HasRecordedAt) | (previous.Voided ? Voided : 0)));
                    writer.Reading(previous.Reading);
                    writer.UInt((ulong)previous.Sequence);
                    if (previous.RecordedAt is { } recordedAt) writer.Time(recordedAt);
                    writer.Text(previous.RecordedBy);
                    writer.Text(previous.Reason);
                }
            }
            return writer.ToArray();
        }
        finally
        {
            _spare = writer.Buffer;
        }
    }

    /// <summary>Whether the bytes are in this form (rather than the compressed JSON of earlier versions).</summary>
    public static bool IsCompact(byte[] bytes) => bytes.Length > 0 && bytes[0] == Marker;

    public static IReadOnlyList<ObservationChange> Decode(byte[] bytes) => new Reader(bytes).Changes();

    // One buffer reused by whoever encodes next (the writer, or the drain filing conflicts), taken and given back.
    private static byte[]? _spare;

    private static int ReadingFlags(Observation o) => o.Value is null ? 0 : HasValue;

    private struct Writer(byte[] buffer)
    {
        private int _length;
        private long _lastTicks;
        private Dictionary<string, int>? _table;

        public byte[] Buffer { get; private set; } = buffer;

        public readonly byte[] ToArray() => Buffer.AsSpan(0, _length).ToArray();

        public void Byte(byte value)
        {
            Ensure(1);
            Buffer[_length++] = value;
        }

        public void UInt(ulong value)
        {
            Ensure(10);
            while (value >= 0x80)
            {
                Buffer[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }
            Buffer[_length++] = (byte)value;
        }

        public void Reading(Observation o)
        {
            Text(o.SiteId);
            Text(o.IndicatorId);
            Time(o.Timestamp);
            if (o.Value is { } value)
            {
                Ensure(8);
                BinaryPrimitives.WriteDoubleLittleEndian(Buffer.AsSpan(_length), value);
                _length += 8;
            }
            Text(o.State);
            Text(o.Source);
            Text(o.Note);
        }

        /// <summary>
        /// The instant in ticks as the difference to the last one written, zigzag-encoded and shifted to make room for a
        /// last bit that says whether an offset (other than UTC's) follows, in minutes.
        /// </summary>
        public void Time(DateTimeOffset time)
        {
            var ticks = time.UtcTicks;
            var delta = ticks - _lastTicks;
            _lastTicks = ticks;
            var offset = (long)time.Offset.TotalMinutes;
            UInt((ZigZag(delta) << 1) | (offset == 0 ? 0UL : 1UL));
            if (offset != 0) UInt(ZigZag(offset));
        }

        private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

        public void Text(string? text)
        {
            if (text is null)
            {
                Byte(0);
                return;
            }
            if (text.Length <= TableableLength)
            {
                _table ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (_table.TryGetValue(text, out var index))
                {
                    UInt((ulong)index + 3);
                    return;
                }
                _table[text] = _table.Count;
                Byte(2);
            }
            else
            {
                Byte(1);
            }
            var bytes = Encoding.UTF8.GetByteCount(text);
            UInt((ulong)bytes);
            Ensure(bytes);
            _length += Encoding.UTF8.GetBytes(text, Buffer.AsSpan(_length));
        }

        private void Ensure(int more)
        {
            if (_length + more <= Buffer.Length) return;
            var larger = new byte[Math.Max(Buffer.Length * 2, _length + more)];
            Buffer.AsSpan(0, _length).CopyTo(larger);
            Buffer = larger;
        }
    }

    private ref struct Reader(byte[] bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;
        private long _lastTicks;
        private List<string>? _table;

        public IReadOnlyList<ObservationChange> Changes()
        {
            _at = 1;
            if (_bytes[_at++] != Version) throw new InvalidDataException($"Queued changes are in format {_bytes[1]}, which this version does not read.");
            var count = checked((int)UInt());
            var changes = new ObservationChange[count];
            for (var i = 0; i < count; i++)
            {
                var header = _bytes[_at++];
                var reading = Reading(header);
                var reason = Text();
                ObservationVersion? previous = null;
                if ((header & HasPrevious) != 0)
                {
                    var flags = _bytes[_at++];
                    var earlier = Reading(flags);
                    var sequence = (long)UInt();
                    DateTimeOffset? recordedAt = (flags & HasRecordedAt) != 0 ? Time() : null;
                    previous = new ObservationVersion(earlier, sequence, recordedAt, Text(), Text(), (flags & Voided) != 0);
                }
                changes[i] = new ObservationChange((ChangeKind)(header & 3), reading, reason, previous);
            }
            return changes;
        }

        private Observation Reading(byte flags)
        {
            var siteId = Text()!;
            var indicatorId = Text()!;
            var timestamp = Time();
            double? value = null;
            if ((flags & HasValue) != 0)
            {
                value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes[_at..]);
                _at += 8;
            }
            return new Observation(siteId, indicatorId, timestamp, value, Text(), Text(), Text());
        }

        private DateTimeOffset Time()
        {
            var encoded = UInt();
            _lastTicks += UnZigZag(encoded >> 1);
            var utc = new DateTimeOffset(_lastTicks, TimeSpan.Zero);
            return (encoded & 1) == 0 ? utc : utc.ToOffset(TimeSpan.FromMinutes(UnZigZag(UInt())));
        }

        private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        private string? Text()
        {
            var tag = UInt();
            if (tag == 0) return null;
            if (tag >= 3) return _table![(int)(tag - 3)];
            var length = checked((int)UInt());
            var text = Encoding.UTF8.GetString(_bytes.Slice(_at, length));
            _at += length;
            if (tag == 2) (_table ??= []).Add(text);
            return text;
        }

        private ulong UInt()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _bytes[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
