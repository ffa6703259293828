using Monitor.Domain.Catalog;
using Monitor.Domain.Observations;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Integration.Tests.Stores;

/// <summary>
/// What every <see cref="IObservationStore"/> promises, run against each implementation by a subclass. Each test
/// gets a new, empty store.
/// </summary>
public abstract class ObservationStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero);
    private const string Fuel = "fuel.stations_open_pct";
    private const string Crossing = "crossing.status";

    /// <summary>Text that has broken line protocol, InfluxQL or SQL somewhere; ids are checked against the catalog
    /// by the API, but the store must carry any string unchanged.</summary>
    public static readonly IReadOnlyDictionary<string, string> Hostile = new Dictionary<string, string>
    {
        ["single quote injection"] = "x' OR 1=1 --",
        ["double quote injection"] = "\"; DROP DATABASE monitor",
        ["escaped quote, comma and equals"] = "a\\\" , b=c",
        ["comma"] = "Mosul,Nineveh",
        ["space"] = "Tal Afar",
        ["leading and trailing spaces"] = "  padded  ",
        ["equals"] = "a=b",
        ["newline"] = "line one\nline two",
        ["carriage return"] = "crlf\r\nend\r",
        ["tab"] = "col\tcol",
        ["backslashes"] = "C:\\temp\\new",
        ["trailing backslash"] = "ends with\\",
        ["only backslashes"] = "\\\\",
        ["backslash before comma"] = "a\\,b",
        ["backslash before space"] = "a\\ b",
        ["percent signs"] = "100% %41 %25 %",
        ["arabic"] = "الموصل",
        ["emoji"] = "⛽ fuel 🔥",
        ["accents and symbols"] = "Ḥadītha — Bayjī · ½",
        ["line protocol injection"] = "x value=1 1\nobservation,site=victim,indicator=y value=666 1",
        ["regex"] = "/.*/",
        ["bound parameter lookalike"] = "$site",
        ["hash"] = "# not a comment",
        ["json"] = "{\"site\":\"victim\"}",
        ["star"] = "*",
    };

    public static TheoryData<string> HostileCases => new(Hostile.Keys);

    protected IObservationStore Store { get; private set; } = null!;

    // A hung store fails its test instead of the whole run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>A new store over empty storage.</summary>
    protected abstract Task<IObservationStore> CreateStoreAsync();

    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        await DeleteStoreAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task Numeric_readings_round_trip_to_the_millisecond()
    {
        double[] values = [-12.5, 0, 0.1, 42, -273.15, 123_456.789012345, 1e15, 1.7976931348623157e308, 5e-324, -1e-7];
        var written = values
            .Select((v, i) => Numeric("mosul", Fuel, T0.AddHours(i).AddMilliseconds(i * 137 + 1), v))
            .Append(Numeric("mosul", Fuel, T0.AddDays(1).AddMilliseconds(999), 7, source: "field team 3", note: "queue of 40 cars"))
            .ToArray();
        await Store.WriteAsync(written, Ct);

        var read = await Store.QueryAsync(new SeriesQuery("mosul", Fuel, T0, T0.AddDays(2), 1_000), IndicatorKind.Numeric, Ct);

        Assert.Equal(written.Select(Downsampling.Raw), read);
    }

    [Fact]
    public async Task State_readings_round_trip_with_source_and_note()
    {
        Observation[] written =
        [
            State("al-qaim", Crossing, T0.AddMinutes(1), "open"),
            State("al-qaim", Crossing, T0.AddHours(5).AddMilliseconds(5), "restricted", source: "UNHCR", note: null),
            State("al-qaim", Crossing, T0.AddHours(30), "closed", source: null, note: "Crossing taken; no traffic.\nStaff withdrawn."),
        ];
        await Store.WriteAsync(written, Ct);

        var read = await Store.QueryAsync(new SeriesQuery("al-qaim", Crossing, T0, T0.AddDays(2), 10), IndicatorKind.State, Ct);

        Assert.Equal(written.Select(Downsampling.Raw), read);
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task Hostile_text_round_trips_unchanged_and_reads_only_its_own_series(string hostileCase)
    {
        var text = Hostile[hostileCase];
        Observation[] own =
        [
            Numeric(text, text, T0, 1, source: text, note: text),
            Numeric(text, text, T0.AddHours(1), 5, source: text, note: text),
            State(text, Crossing, T0, text, source: text, note: text),
            State(text, Crossing, T0.AddHours(1), text + "!", source: text, note: text),
        ];
        Observation[] others =
        [
            Numeric("victim", text, T0.AddMinutes(30), 1_000, source: "victim", note: "victim"),
            Numeric("victim", "y", T0.AddMinutes(30), 666, source: "victim", note: "victim"),
            State("victim", Crossing, T0.AddHours(2), "closed"),
        ];
        await Store.WriteAsync([.. own, .. others], Ct);

        var range = (From: T0.AddDays(-1), To: T0.AddDays(1));
        Assert.Equal(
            own[..2].Select(Downsampling.Raw),
            await Store.QueryAsync(new SeriesQuery(text, text, range.From, range.To, 100), IndicatorKind.Numeric, Ct));
        Assert.Equal(
            own[2..].Select(Downsampling.Raw),
            await Store.QueryAsync(new SeriesQuery(text, Crossing, range.From, range.To, 100), IndicatorKind.State, Ct));

        // One bucket over the whole range: it aggregates this site's readings and no one else's.
        Assert.Equal(
            [new SeriesPoint(range.From, Value: 3, Min: 1, Max: 5, Count: 2)],
            await Store.QueryAsync(new SeriesQuery(text, text, range.From, range.To, 1), IndicatorKind.Numeric, Ct));
        Assert.Equal(
            [new SeriesPoint(range.From, State: text + "!")],
            await Store.QueryAsync(new SeriesQuery(text, Crossing, range.From, range.To, 1), IndicatorKind.State, Ct));

        Assert.Equal(
            new[] { own[1], own[3] }.OrderBy(o => o.IndicatorId, StringComparer.Ordinal),
            (await Store.LatestAsync(text, Ct)).OrderBy(o => o.IndicatorId, StringComparer.Ordinal));
        Assert.Equal(
            [Downsampling.Raw(others[0])],
            await Store.QueryAsync(new SeriesQuery("victim", text, range.From, range.To, 100), IndicatorKind.Numeric, Ct));
    }

    [Fact]
    public async Task Ids_that_differ_only_in_special_characters_are_separate_series()
    {
        string[] ids =
        [
            "a", "a\\", "a\\\\", "a%", "a%5C", "a%255C", "a%25", "a,", "a ", "a=", "a\n", "a\r", "a\t", "%", "%25", "\\", "A",
            .. Hostile.Values,
        ];
        ids = ids.Distinct(StringComparer.Ordinal).ToArray();
        var written = ids.Select((id, i) => Numeric(id, id, T0.AddSeconds(i), i, note: id)).ToArray();
        await Store.WriteAsync(written, Ct);

        foreach (var o in written)
        {
            var read = await Store.QueryAsync(new SeriesQuery(o.SiteId, o.IndicatorId, T0, T0.AddHours(1), 100), IndicatorKind.Numeric, Ct);
            Assert.Equal([Downsampling.Raw(o)], read);
            Assert.Equal([o], await Store.LatestAsync(o.SiteId, Ct));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(499)]
    [InlineData(500)] // exactly the number of readings in range: they come back as they are
    [InlineData(5_000)]
    public async Task Downsampled_numeric_series_match_the_reference(int maxPoints)
    {
        var (query, inRange) = await WriteRandomSeriesAsync(maxPoints, IndicatorKind.Numeric);

        var read = await Store.QueryAsync(query, IndicatorKind.Numeric, Ct);

        AssertSeries(Downsampling.Downsample(inRange, query, IndicatorKind.Numeric), read);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(499)]
    [InlineData(500)]
    public async Task Downsampled_state_series_match_the_reference(int maxPoints)
    {
        var (query, inRange) = await WriteRandomSeriesAsync(maxPoints, IndicatorKind.State);

        var read = await Store.QueryAsync(query, IndicatorKind.State, Ct);

        AssertSeries(Downsampling.Downsample(inRange, query, IndicatorKind.State), read);
    }

    [Fact]
    public async Task Range_bounds_are_inclusive()
    {
        var from = T0.AddHours(3);
        var to = T0.AddHours(9);
        Observation[] written =
        [
            Numeric("mosul", Fuel, from.AddMilliseconds(-1), 1),
            Numeric("mosul", Fuel, from, 2),
            Numeric("mosul", Fuel, to, 4),
            Numeric("mosul", Fuel, to.AddMilliseconds(1), 8),
        ];
        await Store.WriteAsync(written, Ct);

        Assert.Equal(
            [Downsampling.Raw(written[1]), Downsampling.Raw(written[2])],
            await Store.QueryAsync(new SeriesQuery("mosul", Fuel, from, to, 10), IndicatorKind.Numeric, Ct));
        Assert.Equal(
            [new SeriesPoint(from, Value: 3, Min: 2, Max: 4, Count: 2)],
            await Store.QueryAsync(new SeriesQuery("mosul", Fuel, from, to, 1), IndicatorKind.Numeric, Ct));
        Assert.Equal(
            [Downsampling.Raw(written[1])],
            await Store.QueryAsync(new SeriesQuery("mosul", Fuel, from, from, 10), IndicatorKind.Numeric, Ct));
    }

    [Fact]
    public async Task Latest_holds_the_newest_reading_of_each_indicator_at_the_site()
    {
        Observation[] written =
        [
            Numeric("kirkuk", Fuel, T0, 80),
            Numeric("kirkuk", Fuel, T0.AddDays(2), 35, source: "ministry", note: "rationing"),
            Numeric("kirkuk", Fuel, T0.AddDays(1), 60),
            State("kirkuk", "refinery.status", T0.AddHours(6), "reduced"),
            State("kirkuk", "refinery.status", T0.AddHours(1), "operating"),
            Numeric("erbil", Fuel, T0.AddDays(3), 90),
        ];
        await Store.WriteAsync(written, Ct);

        var latest = await Store.LatestAsync("kirkuk", Ct);

        Assert.Equal(
            new[] { written[1], written[3] }.OrderBy(o => o.IndicatorId, StringComparer.Ordinal),
            latest.OrderBy(o => o.IndicatorId, StringComparer.Ordinal));
        Assert.Empty(await Store.LatestAsync("baiji", Ct));
    }

    [Fact]
    public async Task Extent_is_null_for_an_empty_store()
    {
        Assert.Null(await Store.ExtentAsync(Ct));
    }

    [Fact]
    public async Task Extent_spans_the_oldest_and_newest_reading_of_any_series()
    {
        await Store.WriteAsync(
        [
            Numeric("mosul", Fuel, T0.AddDays(3), 1),
            State("al-qaim", Crossing, T0.AddMilliseconds(-250), "open"),
            Numeric("erbil", Fuel, T0.AddDays(12).AddMilliseconds(17), 2),
            Numeric("mosul", Fuel, T0.AddDays(1), 3),
        ], Ct);

        Assert.Equal(new ObservationExtent(T0.AddMilliseconds(-250), T0.AddDays(12).AddMilliseconds(17)), await Store.ExtentAsync(Ct));
    }

    [Fact]
    public async Task Rewriting_the_same_observation_replaces_it()
    {
        await Store.WriteAsync(
        [
            Numeric("haditha", Fuel, T0, 10, source: "first report", note: "to be corrected"),
            State("haditha", Crossing, T0, "open", source: "first report", note: "to be corrected"),
        ], Ct);
        Observation[] corrected =
        [
            Numeric("haditha", Fuel, T0, 20),
            State("haditha", Crossing, T0, "closed"),
        ];

        await Store.WriteAsync(corrected, Ct);

        var range = (From: T0.AddHours(-1), To: T0.AddHours(1));
        Assert.Equal(
            [Downsampling.Raw(corrected[0])],
            await Store.QueryAsync(new SeriesQuery("haditha", Fuel, range.From, range.To, 10), IndicatorKind.Numeric, Ct));
        Assert.Equal(
            [Downsampling.Raw(corrected[1])],
            await Store.QueryAsync(new SeriesQuery("haditha", Crossing, range.From, range.To, 10), IndicatorKind.State, Ct));
        Assert.Equal(corrected.OrderBy(o => o.IndicatorId, StringComparer.Ordinal),
            (await Store.LatestAsync("haditha", Ct)).OrderBy(o => o.IndicatorId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Writing_a_batch_again_changes_nothing()
    {
        var batch = Enumerable.Range(0, 50).Select(i => Numeric("ramadi", Fuel, T0.AddMinutes(i), i, note: $"reading {i}")).ToArray();

        await Store.WriteAsync(batch, Ct);
        await Store.WriteAsync(batch, Ct);
        await Store.WriteAsync(batch.Reverse().ToArray(), Ct);

        Assert.Equal(batch.Select(Downsampling.Raw),
            await Store.QueryAsync(new SeriesQuery("ramadi", Fuel, T0, T0.AddDays(1), 100), IndicatorKind.Numeric, Ct));
    }

    [Fact]
    public async Task A_batch_of_20000_readings_is_stored_whole()
    {
        var batch = Enumerable.Range(0, 20_000)
            .Select(i => Numeric("baghdad", Fuel, T0.AddMinutes(i), i % 101, source: i % 7 == 0 ? "sensor" : null))
            .ToArray();

        await Store.WriteAsync(batch, Ct);

        var to = T0.AddMinutes(20_000);
        Assert.Equal(batch.Select(Downsampling.Raw),
            await Store.QueryAsync(new SeriesQuery("baghdad", Fuel, T0, to, 100_000), IndicatorKind.Numeric, Ct));
        var buckets = await Store.QueryAsync(new SeriesQuery("baghdad", Fuel, T0, to, 1_000), IndicatorKind.Numeric, Ct);
        Assert.InRange(buckets.Count, 1, 1_000);
        Assert.Equal(20_000, buckets.Sum(b => b.Count));
    }

    [Fact]
    public async Task Ping_answers_when_the_store_is_up()
    {
        Assert.True(await Store.PingAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task Find_answers_the_current_reading_and_its_batch_at_each_asked_key_and_nothing_else(string hostileCase)
    {
        var text = Hostile[hostileCase];
        var asked = Numeric(text, Fuel, T0.AddMilliseconds(7), 12.5, source: text, note: text);
        var neighbour = Numeric(text, Fuel, T0.AddMilliseconds(8), 13);
        await Store.ApplyAsync([Batch(41, ObservationChange.Record(asked)), Batch(42, ObservationChange.Record(neighbour))], Ct);

        var found = await Store.FindAsync([asked.Key, asked.Key with { Timestamp = T0.AddDays(1) }, asked.Key with { SiteId = "elsewhere" }], Ct);

        var (key, stored) = Assert.Single(found);
        Assert.Equal(asked.Key, key);
        Assert.Equal(new StoredReading(asked, 41), stored);
    }

    [Fact]
    public async Task A_correction_and_a_void_keep_every_version_and_applying_them_again_changes_nothing()
    {
        var original = Numeric("mosul", Fuel, T0, 10, source: "radio", note: "first count");
        var corrected = original with { Value = 12 };
        var recordedAt = T0.AddDays(30);
        ObservationVersion Version(Observation reading, long sequence, string? reason = null, bool voided = false) =>
            new(reading, sequence, recordedAt, "reporter@x", reason, voided);
        IngestBatch[] batches =
        [
            Batch(1, ObservationChange.Record(original)),
            Batch(2, new ObservationChange(ChangeKind.Correct, corrected, "typo", Version(original, 1))),
            Batch(3, new ObservationChange(ChangeKind.Void, corrected, "wrong site", Version(corrected, 2, "typo"))),
        ];

        await Store.ApplyAsync(batches[..2], Ct);
        Assert.Equal([corrected], await Store.ReadAsync(original.Key.Series, T0, T0, Ct));
        await Store.ApplyAsync(batches[2..], Ct);
        await Store.ApplyAsync(batches, Ct);

        Assert.Empty(await Store.ReadAsync(original.Key.Series, T0, T0, Ct));
        Assert.Empty(await Store.FindAsync([original.Key], Ct));
        Assert.Empty(await Store.LatestAsync("mosul", Ct));
        Assert.Equal([Version(original, 1), Version(corrected, 2, "typo"), Version(corrected, 3, "wrong site", voided: true)],
            await Store.RevisionsAsync(original.Key, Ct));
    }

    [Fact]
    public async Task Newest_gives_the_latest_timestamp_of_every_series()
    {
        await Store.WriteAsync(
        [
            Numeric("mosul", Fuel, T0, 1), Numeric("mosul", Fuel, T0.AddHours(5), 2), Numeric("kirkuk", Fuel, T0.AddHours(1), 3),
            State("al-qaim", Crossing, T0.AddHours(2), "closed"),
        ], Ct);

        var newest = await Store.NewestAsync(Ct);

        Assert.Equal(
            new Dictionary<SeriesKey, DateTimeOffset>
            {
                [new SeriesKey("mosul", Fuel)] = T0.AddHours(5),
                [new SeriesKey("kirkuk", Fuel)] = T0.AddHours(1),
                [new SeriesKey("al-qaim", Crossing)] = T0.AddHours(2),
            },
            newest);
    }

    private static IngestBatch Batch(long sequence, ObservationChange change) =>
        new(sequence, Guid.NewGuid(), T0.AddDays(30), "reporter@x", "api", [change]);

    protected static Observation Numeric(string site, string indicator, DateTimeOffset at, double value, string? source = null, string? note = null) =>
        new(site, indicator, at, value, null, source, note);

    protected static Observation State(string site, string indicator, DateTimeOffset at, string state, string? source = null, string? note = null) =>
        new(site, indicator, at, null, state, source, note);

    /// <summary>
    /// 500 readings at random distinct times inside a range that starts off any round boundary (plus one on each
    /// bound), and a few just outside it. Returns the query and, sorted, the readings it should see.
    /// </summary>
    private async Task<(SeriesQuery Query, IReadOnlyList<Observation> InRange)> WriteRandomSeriesAsync(int maxPoints, IndicatorKind kind)
    {
        var random = new Random(20140610 + maxPoints);
        var from = new DateTimeOffset(2014, 6, 10, 3, 17, 45, 123, TimeSpan.Zero);
        var to = from + new TimeSpan(9, 7, 13, 1, 456);
        var spanMs = (long)(to - from).TotalMilliseconds;
        string[] states = ["open", "restricted", "closed"];

        var times = new SortedSet<DateTimeOffset> { from, to };
        while (times.Count < 500) times.Add(from.AddMilliseconds(random.NextInt64(0, spanMs + 1)));
        Observation At(DateTimeOffset t) => kind == IndicatorKind.Numeric
            ? Numeric("mosul", Fuel, t, Math.Round(random.NextDouble() * 200 - 50, random.Next(0, 6)))
            : State("mosul", Crossing, t, states[random.Next(states.Length)]);

        var inRange = times.Select(At).ToArray();
        var outside = new[] { from.AddMilliseconds(-1), from.AddDays(-3), to.AddMilliseconds(1), to.AddDays(2) }.Select(At);
        await Store.WriteAsync([.. outside, .. inRange.Reverse()], Ct);

        var indicator = kind == IndicatorKind.Numeric ? Fuel : Crossing;
        return (new SeriesQuery("mosul", indicator, from, to, maxPoints), inRange);
    }

    /// <summary>Exact, except that a bucket mean may differ in the last bits with the order of summation.</summary>
    private static void AssertSeries(IReadOnlyList<SeriesPoint> expected, IReadOnlyList<SeriesPoint> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            if (e.Count is not null && e.Value is { } mean && a.Value is { } actualMean)
            {
                Assert.True(Math.Abs(mean - actualMean) <= 1e-9 * Math.Max(1, Math.Abs(mean)), $"point {i}: mean {actualMean}, expected {mean}");
                a = a with { Value = mean };
            }
            Assert.Equal(e, a);
        }
    }
}
