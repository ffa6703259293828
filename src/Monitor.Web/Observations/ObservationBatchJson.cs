using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations;

/// <summary>
/// Reads the body of <c>POST /api/observations</c> straight from its UTF-8 bytes, for the shape every well-behaved client
/// sends: an array of objects (or nulls) whose members are the documented camelCase names, each at most once, with a
/// string, number or null as each value. Items are checked as they are read (<see cref="TryCheck"/>) or kept as
/// <see cref="ObservationInput"/>s (<see cref="TryRead"/>). Anything else — other spellings, unknown members, a number as
/// a string, nested values, trailing commas, malformed JSON — is left to <see cref="JsonSerializer"/>, which then answers
/// exactly as it always has (the same values, or the same error and path). Both must read the same body into the same
/// items; the tests compare them.
/// </summary>
/// <remarks>
/// The serializer spends most of an ingest request's parsing time in its general machinery for records with
/// constructor parameters; one pass over the bytes for the seven known members takes a fraction of that, and checking
/// each item as it is read spares an object per posted item (a third of what the ingest path allocated). Values the
/// scan does not take on itself — strings with escapes or other than printable ASCII, numbers with exponents or more
/// than 15 digits, timestamps in other ISO 8601 forms — are read by <see cref="Utf8JsonReader"/> over that one token,
/// so they mean what they mean to the serializer. Repeated short strings (the same source on every item, the same few
/// site ids) are taken from a small per-request cache instead of being allocated for each item: a queued batch holds
/// its strings until InfluxDB confirms it.
/// </remarks>
public static class ObservationBatchJson
{
    private const int CachedStringBytes = 64;
    private const int CacheSlots = 256; // a power of two

    private static JsonSerializerOptions? _mirrored;

    /// <summary>The batch, or false when the serializer has to read this body (or these options).</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, JsonSerializerOptions options, out List<ObservationInput?>? batch)
    {
        batch = null;
        var items = new List<ObservationInput?>(ItemsIn(json));
        if (!TryScan(json, options, item =>
            {
                items.Add(item?.ToInput());
                return true;
            }))
            return false;
        batch = items;
        return true;
    }

    /// <summary>
    /// About how many items a body holds (about 100 bytes each in practice): a guess that spares most of a list's regrowth.
    /// </summary>
    public static int ItemsIn(ReadOnlySpan<byte> json) => Math.Clamp(json.Length / 100, 4, ObservationValidator.MaxBatchSize + 1);

    /// <summary>
    /// Reads the batch straight into <paramref name="check"/>, item by item; false when the scan or the check stopped short
    /// (a body the serializer has to read, an item with errors, a batch too large or empty): then the body is read and
    /// validated the usual way, which names every error.
    /// </summary>
    public static bool TryCheck(ReadOnlySpan<byte> json, JsonSerializerOptions options, ObservationValidator.BatchCheck check) =>
        TryScan(json, options, item => item is { } fields && check.TryAdd(fields)) && check.IsComplete;

    private static bool TryScan(ReadOnlySpan<byte> json, JsonSerializerOptions options, Func<ObservationFields?, bool> add)
    {
        if (!Mirrors(options)) return false;
        try
        {
            return new Scanner(json).TryReadArray(add);
        }
        catch (JsonException)
        {
            // A token handed to the reader was malformed: the serializer answers it, with its position.
            return false;
        }
    }

    /// <summary>
    /// The fast path reads exactly what these options would: camelCase names, numbers only as JSON numbers, timestamps
    /// through <see cref="UtcDateTimeOffsetConverter"/>, missing members as null.
    /// </summary>
    private static bool Mirrors(JsonSerializerOptions options)
    {
        if (ReferenceEquals(Volatile.Read(ref _mirrored), options)) return true;
        var mirrors = (options.PropertyNameCaseInsensitive || options.PropertyNamingPolicy == JsonNamingPolicy.CamelCase)
                      && !options.RespectRequiredConstructorParameters
                      && options.Converters.OfType<UtcDateTimeOffsetConverter>().Any()
                      && !options.Converters.Any(c => c.CanConvert(typeof(double)) || c.CanConvert(typeof(string)) || c.CanConvert(typeof(ObservationInput)));
        if (mirrors && options.IsReadOnly) Volatile.Write(ref _mirrored, options);
        return mirrors;
    }

    /// <summary>
    /// Scans the bytes themselves, one pass, for the documented shape: an array of objects (or nulls) whose members are the
    /// known names, each at most once, with a string, number or null as each value, and JSON whitespace between tokens.
    /// What the scan does not take on itself, it hands to a reader over that one token (strings with escapes or non-ASCII
    /// text, numbers beyond plain decimals, timestamps in other forms), so each value means what the serializer makes of it.
    /// </summary>
    private ref struct Scanner(ReadOnlySpan<byte> json)
    {
        private readonly ReadOnlySpan<byte> _json = json;
        private int _at;
        private StringCache _strings;

        public bool TryReadArray(Func<ObservationFields?, bool> add)
        {
            if (!Take((byte)'[')) return false;
            if (!Take((byte)']'))
            {
                do
                {
                    if (TakeLiteral("null"u8))
                    {
                        if (!add(null)) return false;
                    }
                    else if (!TryReadItem(out var item) || !add(item)) return false;
                }
                while (Take((byte)','));
                if (!Take((byte)']')) return false;
            }
            // Nothing but whitespace may follow the array.
            SkipWhitespace();
            return _at == _json.Length;
        }

        private bool TryReadItem(out ObservationFields item)
        {
            item = default;
            if (!Take((byte)'{')) return false;
            string? siteId = null, indicatorId = null, state = null, source = null, note = null;
            double? value = null;
            DateTimeOffset? timestamp = null;
            if (!Take((byte)'}'))
            {
                var seen = 0;
                do
                {
                    var member = TryReadName(out var name) ? Member(name) : 0;
                    if (member == 0 || (seen & member) != 0 || !Take((byte)':')) return false;
                    seen |= member;
                    var read = member switch
                    {
                        SiteIdMember => TryReadString(out siteId),
                        IndicatorIdMember => TryReadString(out indicatorId),
                        StateMember => TryReadString(out state),
                        SourceMember => TryReadString(out source),
                        NoteMember => TryReadString(out note),
                        ValueMember => TryReadNumber(out value),
                        _ => TryReadTimestamp(out timestamp),
                    };
                    if (!read) return false;
                }
                while (Take((byte)','));
                if (!Take((byte)'}')) return false;
            }
            item = new ObservationFields(siteId, indicatorId, value, state, timestamp, source, note);
            return true;
        }

        /// <summary>A member name without escapes (an escaped one is left to the serializer, as before).</summary>
        private bool TryReadName(out ReadOnlySpan<byte> name)
        {
            name = default;
            if (!TryStringToken(out var start, out var plain) || !plain) return false;
            name = _json.Slice(start + 1, _at - start - 2);
            return true;
        }

        private bool TryReadString(out string? text)
        {
            text = null;
            if (TakeLiteral("null"u8)) return true;
            if (!TryStringToken(out var start, out var plain)) return false;
            var raw = _json.Slice(start + 1, _at - start - 2);
            if (!plain) return TryReadStringToken(start, out text);
            text = _strings.Get(raw);
            return true;
        }

        /// <summary>Steps over a string token; plain when it holds printable ASCII only, without escapes.</summary>
        private bool TryStringToken(out int start, out bool plain)
        {
            start = _at;
            plain = true;
            if (_at >= _json.Length || _json[_at] != '"') return false;
            var length = _json[(_at + 1)..].IndexOfAny(StringStops);
            if (length < 0) return false;
            var end = _at + 1 + length;
            if (_json[end] == '"')
            {
                _at = end + 1;
                return true;
            }
            // Escapes, control characters or non-ASCII text: the reader finds where the token ends and checks it.
            plain = false;
            return TrySkipToken(JsonTokenType.String);
        }

        private bool TryReadNumber(out double? value)
        {
            value = null;
            if (TakeLiteral("null"u8)) return true;
            var start = _at;
            var negative = _at < _json.Length && _json[_at] == '-';
            if (negative) _at++;
            // Plain decimals of up to 15 digits: the digits as a whole number, divided by a power of ten. Both are exact
            // in a double, so the one rounding of the division gives the nearest double, as the full parser does.
            long digits = 0;
            int count = 0, decimals = 0, integerDigits = 0;
            var inFraction = false;
            for (; _at < _json.Length; _at++)
            {
                var c = _json[_at];
                if (c - '0' is var digit and >= 0 and <= 9)
                {
                    digits = digits * 10 + digit;
                    count++;
                    if (inFraction) decimals++;
                    else integerDigits++;
                }
                else if (c == '.' && !inFraction) inFraction = true;
                else break;
            }
            var plainDecimal = count is > 0 and <= 15 && integerDigits > 0 && (!inFraction || decimals > 0)
                               && (integerDigits == 1 || _json[negative ? start + 1 : start] != '0')
                               && (_at == _json.Length || _json[_at] is not ((byte)'e' or (byte)'E'));
            if (plainDecimal)
            {
                var magnitude = decimals == 0 ? digits : digits / PowersOfTen[decimals];
                value = negative ? -magnitude : magnitude;
                return true;
            }
            // Exponents, long or malformed numbers: the reader's own rules.
            _at = start;
            return TryReadNumberToken(out value);
        }

        /// <summary>As <see cref="UtcDateTimeOffsetConverter"/> reads it: without an offset, the time is UTC.</summary>
        private bool TryReadTimestamp(out DateTimeOffset? timestamp)
        {
            timestamp = null;
            if (TakeLiteral("null"u8)) return true;
            if (!TryStringToken(out var start, out var plain)) return false;
            if (plain && TryParseTimestamp(_json.Slice(start + 1, _at - start - 2), out var parsed))
            {
                timestamp = parsed;
                return true;
            }
            return TryReadTimestampToken(start, out timestamp);
        }

        // The reader's share: one token each, kept out of the methods above (not inlined), whose frames would otherwise
        // make room for a reader, cleared on every call.

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool TrySkipToken(JsonTokenType type)
        {
            var reader = new Utf8JsonReader(_json[_at..], new JsonReaderOptions { AllowMultipleValues = true });
            if (!reader.Read() || reader.TokenType != type) return false;
            _at += (int)reader.BytesConsumed;
            return true;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private readonly bool TryReadStringToken(int start, out string? text)
        {
            text = null;
            var reader = TokenReader(start);
            try
            {
                text = reader.GetString();
                return true;
            }
            catch (InvalidOperationException)
            {
                // Not UTF-8.
                return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool TryReadNumberToken(out double? value)
        {
            value = null;
            var reader = new Utf8JsonReader(_json[_at..], new JsonReaderOptions { AllowMultipleValues = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number)) return false;
            _at += (int)reader.BytesConsumed;
            value = number;
            return true;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private readonly bool TryReadTimestampToken(int start, out DateTimeOffset? timestamp)
        {
            timestamp = null;
            var reader = TokenReader(start);
            if (!UtcDateTimeOffsetConverter.TryRead(ref reader, out var read)) return false;
            timestamp = read;
            return true;
        }

        /// <summary>A reader positioned on the string token that starts at <paramref name="start"/> and ends before <see cref="_at"/>.</summary>
        private readonly Utf8JsonReader TokenReader(int start)
        {
            var reader = new Utf8JsonReader(_json[start.._at]);
            reader.Read();
            return reader;
        }

        private bool Take(byte token)
        {
            SkipWhitespace();
            if (_at >= _json.Length || _json[_at] != token) return false;
            _at++;
            SkipWhitespace();
            return true;
        }

        private bool TakeLiteral(ReadOnlySpan<byte> literal)
        {
            if (!_json[_at..].StartsWith(literal)) return false;
            _at += literal.Length;
            return true;
        }

        private void SkipWhitespace()
        {
            while (_at < _json.Length && _json[_at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') _at++;
        }
    }

    /// <summary>What ends a plain string: its closing quote, or a byte that makes it more than printable ASCII.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x81)).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private const int SiteIdMember = 1, IndicatorIdMember = 2, ValueMember = 4, StateMember = 8, TimestampMember = 16, SourceMember = 32, NoteMember = 64;

    private static int Member(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("note"u8) => NoteMember,
        5 when name.SequenceEqual("value"u8) => ValueMember,
        5 when name.SequenceEqual("state"u8) => StateMember,
        6 when name.SequenceEqual("siteId"u8) => SiteIdMember,
        6 when name.SequenceEqual("source"u8) => SourceMember,
        9 when name.SequenceEqual("timestamp"u8) => TimestampMember,
        11 when name.SequenceEqual("indicatorId"u8) => IndicatorIdMember,
        _ => 0,
    };

    /// <summary>
    /// Short strings already read in this body, by their UTF-8 bytes: open addressing over a table filled to at most three
    /// quarters, so a body's few dozen site ids each keep one instance (a direct-mapped table let colliding ids evict each
    /// other item after item, and every lookup by instance further on missed).
    /// </summary>
    private struct StringCache
    {
        private byte[]?[]? _bytes;
        private string?[]? _strings;
        private int _count;

        /// <summary>The text of plain ASCII bytes, one instance per distinct short string.</summary>
        public string Get(ReadOnlySpan<byte> raw)
        {
            if (raw.Length > CachedStringBytes) return Encoding.ASCII.GetString(raw);

            _bytes ??= new byte[]?[CacheSlots];
            _strings ??= new string?[CacheSlots];
            var slot = (int)Hash(raw) & (CacheSlots - 1);
            while (_bytes[slot] is { } cached)
            {
                if (raw.SequenceEqual(cached)) return _strings[slot]!;
                slot = (slot + 1) & (CacheSlots - 1);
            }
            var text = Encoding.ASCII.GetString(raw);
            if (_count < CacheSlots * 3 / 4)
            {
                _bytes[slot] = raw.ToArray();
                _strings[slot] = text;
                _count++;
            }
            return text;
        }

        // The length and the first and last eight bytes (ids differ at their ends: "city-001", "city-002"), mixed by
        // multiplication: enough to spread a body's distinct short strings over the slots, without a step per byte.
        private static uint Hash(ReadOnlySpan<byte> bytes)
        {
            ulong head, tail;
            if (bytes.Length >= 8)
            {
                head = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                tail = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
            }
            else
            {
                head = (ulong)bytes.Length;
                foreach (var b in bytes) head = (head << 8) | b;
                tail = 0;
            }
            var mixed = (head * 0x9E3779B97F4A7C15) ^ (tail * 0xC2B2AE3D27D4EB4F) ^ (ulong)bytes.Length;
            return (uint)(mixed >> 32) ^ (uint)mixed;
        }
    }

    /// <summary>
    /// The common ISO 8601 form, <c>yyyy-MM-ddTHH:mm:ss</c> with up to seven decimals of seconds and an optional <c>Z</c> or
    /// <c>±hh:mm</c>; false for anything else (the reader then takes it). Without an offset the time is UTC.
    /// </summary>
    internal static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
            return false;
        // Far ends of the calendar, leap seconds and the like are the reader's.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        var at = 19;
        long fraction = 0;
        if (at < text.Length && text[at] == '.')
        {
            var digits = 0;
            for (at++; at < text.Length && text[at] - '0' is var digit and >= 0 and <= 9; at++, digits++) fraction = fraction * 10 + digit;
            if (digits is 0 or > 7) return false;
            for (; digits < 7; digits++) fraction *= 10;
        }

        var offset = TimeSpan.Zero;
        if (at < text.Length)
        {
            if (text[at] == 'Z') at++;
            else
            {
                if (text.Length - at != 6 || text[at] is not ((byte)'+' or (byte)'-') || text[at + 3] != ':'
                    || !TryDigits(text.Slice(at + 1, 2), out var offsetHours) || !TryDigits(text.Slice(at + 4, 2), out var offsetMinutes)
                    || offsetHours > 13 || offsetMinutes > 59)
                    return false;
                offset = new TimeSpan(offsetHours, offsetMinutes, 0);
                if (text[at] == '-') offset = -offset;
                at += 6;
            }
            if (at != text.Length) return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fraction);
        timestamp = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c - '0' is not (>= 0 and <= 9) ) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
