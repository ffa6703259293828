using System.Text.Json;
using Monitor.Domain.Observations;

namespace Monitor.Web.Observations;

/// <summary>
/// Reads the body of <c>POST /api/observations</c> straight from its UTF-8 bytes into <see cref="ObservationInput"/>s,
/// for the shape every well-behaved client sends: an array of objects (or nulls) whose members are the documented
/// camelCase names, each at most once, with a string, number or null as each value. Anything else — other spellings,
/// unknown members, a number as a string, nested values, malformed JSON — is left to <see cref="JsonSerializer"/>, which
/// then answers exactly as it always has (the same values, or the same error and path). Both must read the same body
/// into the same items; the tests compare them.
/// </summary>
/// <remarks>
/// The serializer spends most of an ingest request's parsing time in its general machinery for records with
/// constructor parameters; reading the six known members directly takes a fraction of that. Repeated short strings
/// (the same source on every item, the same few site ids) are taken from a small per-request cache instead of being
/// allocated for each item: a queued batch holds its strings until InfluxDB confirms it.
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
        if (!Mirrors(options)) return false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions
            {
                AllowTrailingCommas = options.AllowTrailingCommas,
                CommentHandling = options.ReadCommentHandling,
                MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
            });
            return TryReadArray(ref reader, json.Length, out batch);
        }
        catch (JsonException)
        {
            batch = null;
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

    private static bool TryReadArray(ref Utf8JsonReader reader, int length, out List<ObservationInput?>? batch)
    {
        batch = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
        // Items take about 100 bytes each in practice: a guess that spares most of the list's regrowth.
        var items = new List<ObservationInput?>(Math.Clamp(length / 100, 4, ObservationValidator.MaxBatchSize + 1));
        var strings = new StringCache();
        while (true)
        {
            if (!reader.Read()) return false;
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    // Nothing but whitespace may follow the array.
                    if (reader.Read()) return false;
                    batch = items;
                    return true;
                case JsonTokenType.Null:
                    items.Add(null);
                    break;
                case JsonTokenType.StartObject:
                    if (!TryReadItem(ref reader, ref strings, out var item)) return false;
                    items.Add(item);
                    break;
                default:
                    return false;
            }
        }
    }

    private static bool TryReadItem(ref Utf8JsonReader reader, ref StringCache strings, out ObservationInput? item)
    {
        item = null;
        string? siteId = null, indicatorId = null, state = null, source = null, note = null;
        double? value = null;
        DateTimeOffset? timestamp = null;
        var seen = 0;
        while (true)
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped) return false;

            var member = Member(reader.ValueSpan);
            if (member == 0 || (seen & member) != 0) return false;
            seen |= member;
            if (!reader.Read()) return false;

            switch (member)
            {
                case SiteIdMember when !strings.TryRead(ref reader, out siteId):
                case IndicatorIdMember when !strings.TryRead(ref reader, out indicatorId):
                case StateMember when !strings.TryRead(ref reader, out state):
                case SourceMember when !strings.TryRead(ref reader, out source):
                case NoteMember when !strings.TryRead(ref reader, out note):
                case ValueMember when !TryReadNumber(ref reader, out value):
                case TimestampMember when !TryReadTimestamp(ref reader, out timestamp):
                    return false;
            }
        }

        item = new ObservationInput(siteId, indicatorId, value, state, timestamp, source, note);
        return true;
    }

    private const int SiteIdMember = 1, IndicatorIdMember = 2, ValueMember = 4, StateMember = 8, TimestampMember = 16, SourceMember = 32, NoteMember = 64;

    private static int Member(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("siteId"u8) => SiteIdMember,
        _ when name.SequenceEqual("indicatorId"u8) => IndicatorIdMember,
        _ when name.SequenceEqual("value"u8) => ValueMember,
        _ when name.SequenceEqual("state"u8) => StateMember,
        _ when name.SequenceEqual("timestamp"u8) => TimestampMember,
        _ when name.SequenceEqual("source"u8) => SourceMember,
        _ when name.SequenceEqual("note"u8) => NoteMember,
        _ => 0,
    };

    private static bool TryReadNumber(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var number):
                value = number;
                return true;
            default:
                return false;
        }
    }

    /// <summary>As <see cref="UtcDateTimeOffsetConverter"/> reads it: without an offset, the time is UTC.</summary>
    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? timestamp)
    {
        timestamp = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String when UtcDateTimeOffsetConverter.TryRead(ref reader, out var read):
                timestamp = read;
                return true;
            default:
                return false;
        }
    }

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

        public bool TryRead(ref Utf8JsonReader reader, out string? text)
        {
            text = null;
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.String) return false;

            var raw = reader.ValueSpan;
            if (reader.ValueIsEscaped || raw.Length > CachedStringBytes)
            {
                text = reader.GetString();
                return true;
            }

            _bytes ??= new byte[]?[CacheSlots];
            _strings ??= new string?[CacheSlots];
            var slot = (int)Hash(raw) & (CacheSlots - 1);
            while (_bytes[slot] is { } cached)
            {
                if (raw.SequenceEqual(cached))
                {
                    text = _strings[slot];
                    return true;
                }
                slot = (slot + 1) & (CacheSlots - 1);
            }
            text = reader.GetString();
            if (_count < CacheSlots * 3 / 4)
            {
                _bytes[slot] = raw.ToArray();
                _strings[slot] = text;
                _count++;
            }
            return true;
        }

        // FNV-1a: enough to spread a body's distinct short strings over the slots.
        private static uint Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = 2166136261;
            foreach (var b in bytes) hash = (hash ^ b) * 16777619;
            return hash;
        }
    }
}
