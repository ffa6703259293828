using Microsoft.Extensions.Time.Testing;
using Monitor.Domain.Observations;
using static Monitor.Domain.Tests.TestCatalog;

namespace Monitor.Domain.Tests.Observations;

public sealed class ObservationValidatorTests
{
    private static readonly DateTimeOffset Now = new(2014, 6, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly Monitor.Domain.Catalog.CatalogSnapshot _catalog = Create();

    private ObservationValidator Validator => new(_time);

    private ValidationOutcome Validate(params ObservationInput?[] batch) => Validator.Validate(batch, _catalog);

    private static ObservationInput Fuel(double? value = 42, DateTimeOffset? timestamp = null, string? source = null, string? note = null) =>
        new(Mosul, FuelStationsOpen, Value: value, Timestamp: timestamp ?? Now.AddHours(-1), Source: source, Note: note);

    private static ObservationInput Refinery(string? state = "offline", double? value = null) =>
        new(Baiji, RefineryStatus, Value: value, State: state, Timestamp: Now.AddHours(-1));

    private static void AssertOnlyError(ValidationOutcome outcome, string key, string? messageContains = null)
    {
        Assert.False(outcome.IsValid);
        Assert.Empty(outcome.Observations);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal(key, error.Key);
        Assert.NotEmpty(error.Value);
        if (messageContains is not null) Assert.Contains(messageContains, string.Join(" ", error.Value), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Valid_numeric_observation_is_accepted_as_given()
    {
        var at = new DateTimeOffset(2014, 6, 10, 6, 30, 0, TimeSpan.Zero);

        var outcome = Validate(new ObservationInput(Mosul, FuelStationsOpen, Value: 35.5, Timestamp: at, Source: "field team", Note: "long queues"));

        Assert.True(outcome.IsValid);
        Assert.Empty(outcome.Errors);
        var observation = Assert.Single(outcome.Observations);
        Assert.Equal(new Observation(Mosul, FuelStationsOpen, at, 35.5, null, "field team", "long queues"), observation);
    }

    [Fact]
    public void Valid_state_observation_is_accepted_as_given()
    {
        var outcome = Validate(Refinery("reduced"));

        var observation = Assert.Single(outcome.Observations);
        Assert.Equal("reduced", observation.State);
        Assert.Null(observation.Value);
        Assert.Equal(Baiji, observation.SiteId);
        Assert.Equal(RefineryStatus, observation.IndicatorId);
    }

    [Fact]
    public void Missing_timestamp_defaults_to_now()
    {
        var outcome = Validate(new ObservationInput(Mosul, FuelStationsOpen, Value: 10));

        Assert.Equal(Now, Assert.Single(outcome.Observations).Timestamp);
    }

    [Fact]
    public void Default_timestamp_follows_the_clock()
    {
        _time.Advance(TimeSpan.FromMinutes(90));

        var outcome = Validate(new ObservationInput(Mosul, FuelStationsOpen, Value: 10));

        Assert.Equal(Now.AddMinutes(90), Assert.Single(outcome.Observations).Timestamp);
    }

    [Fact]
    public void Default_timestamp_is_truncated_to_milliseconds()
    {
        _time.Advance(TimeSpan.FromTicks(1_234_567)); // 123.4567 ms

        var outcome = Validate(new ObservationInput(Mosul, FuelStationsOpen, Value: 10));

        Assert.Equal(Now.AddMilliseconds(123), Assert.Single(outcome.Observations).Timestamp);
    }

    [Fact]
    public void Timestamp_with_offset_is_stored_in_utc_truncated_to_milliseconds()
    {
        var local = new DateTimeOffset(2014, 6, 10, 9, 0, 0, TimeSpan.FromHours(3)).AddTicks(4_567_891); // +456.7891 ms

        var observation = Assert.Single(Validate(Fuel(timestamp: local)).Observations);

        Assert.Equal(TimeSpan.Zero, observation.Timestamp.Offset);
        Assert.Equal(new DateTimeOffset(2014, 6, 10, 6, 0, 0, 456, TimeSpan.Zero), observation.Timestamp);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_site_id_is_refused(string? siteId)
    {
        var outcome = Validate(new ObservationInput(siteId, FuelStationsOpen, Value: 10, Timestamp: Now));

        AssertOnlyError(outcome, "[0].siteId", "required");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_indicator_id_is_refused(string? indicatorId)
    {
        var outcome = Validate(new ObservationInput(Mosul, indicatorId, Value: 10, Timestamp: Now));

        AssertOnlyError(outcome, "[0].indicatorId", "required");
    }

    [Fact]
    public void Unknown_site_is_refused_and_named()
    {
        var outcome = Validate(new ObservationInput("atlantis", FuelStationsOpen, Value: 10, Timestamp: Now));

        AssertOnlyError(outcome, "[0].siteId", "'atlantis'");
    }

    [Fact]
    public void Site_ids_are_case_sensitive()
    {
        var outcome = Validate(new ObservationInput("Mosul", FuelStationsOpen, Value: 10, Timestamp: Now));

        AssertOnlyError(outcome, "[0].siteId", "Unknown site");
    }

    [Fact]
    public void Unknown_id_is_echoed_without_control_characters()
    {
        var outcome = Validate(new ObservationInput("bad\r\nid\u0000", FuelStationsOpen, Value: 10, Timestamp: Now));

        var message = Assert.Single(outcome.Errors["[0].siteId"]);
        Assert.DoesNotContain(message, char.IsControl);
        Assert.Contains("bad??id?", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_indicator_is_refused_and_named()
    {
        var outcome = Validate(new ObservationInput(Mosul, "fuel.unicorns", Value: 10, Timestamp: Now));

        AssertOnlyError(outcome, "[0].indicatorId", "'fuel.unicorns'");
    }

    [Fact]
    public void Indicator_that_does_not_apply_to_the_site_kind_is_refused()
    {
        var outcome = Validate(new ObservationInput(Baiji, FuelStationsOpen, Value: 10, Timestamp: Now));

        AssertOnlyError(outcome, "[0].indicatorId", "does not apply to refinery");
    }

    [Fact]
    public void Indicator_applying_to_several_kinds_is_accepted_for_each()
    {
        var outcome = Validate(
            new ObservationInput(Mosul, PowerHours, Value: 4, Timestamp: Now),
            new ObservationInput(Baiji, PowerHours, Value: 0, Timestamp: Now));

        Assert.True(outcome.IsValid);
        Assert.Equal(2, outcome.Observations.Count);
    }

    [Fact]
    public void Numeric_indicator_without_value_is_refused()
    {
        AssertOnlyError(Validate(Fuel(value: null)), "[0].value", "required");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Numeric_value_must_be_finite(double value)
    {
        AssertOnlyError(Validate(Fuel(value: value)), "[0].value", "finite");
    }

    [Fact]
    public void Non_finite_value_is_refused_even_without_bounds()
    {
        var outcome = Validate(new ObservationInput(Mosul, QueueLength, Value: double.NaN, Timestamp: Now));

        AssertOnlyError(outcome, "[0].value", "finite");
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(-1e300)]
    [InlineData(1e300)]
    public void Numeric_value_outside_the_range_is_refused(double value)
    {
        AssertOnlyError(Validate(Fuel(value: value)), "[0].value", "between 0 and 100 %");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(57.25)]
    public void Numeric_value_within_the_range_including_its_bounds_is_accepted(double value)
    {
        Assert.Equal(value, Assert.Single(Validate(Fuel(value: value)).Observations).Value);
    }

    [Theory]
    [InlineData(-1e12)]
    [InlineData(1e12)]
    public void Numeric_indicator_without_bounds_accepts_any_finite_value(double value)
    {
        var outcome = Validate(new ObservationInput(Mosul, QueueLength, Value: value, Timestamp: Now));

        Assert.Equal(value, Assert.Single(outcome.Observations).Value);
    }

    [Fact]
    public void Numeric_indicator_with_a_state_is_refused()
    {
        var outcome = Validate(new ObservationInput(Mosul, FuelStationsOpen, Value: 10, State: "open", Timestamp: Now));

        AssertOnlyError(outcome, "[0].state", "send value, not state");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void State_indicator_without_state_is_refused(string? state)
    {
        AssertOnlyError(Validate(Refinery(state)), "[0].state", "required");
    }

    [Theory]
    [InlineData("burning")]
    [InlineData("Offline")]
    [InlineData(" offline")]
    [InlineData("open")]
    public void State_outside_the_allowed_states_is_refused(string state)
    {
        AssertOnlyError(Validate(Refinery(state)), "[0].state", "operating, reduced, offline");
    }

    [Fact]
    public void State_indicator_with_a_value_is_refused()
    {
        AssertOnlyError(Validate(Refinery("offline", value: 1)), "[0].value", "send state, not value");
    }

    [Fact]
    public void Timestamp_before_the_floor_is_refused()
    {
        var outcome = Validate(Fuel(timestamp: ObservationValidator.DefaultTimestampFloor.AddMilliseconds(-1)));

        AssertOnlyError(outcome, "[0].timestamp", "2000-01-01");
    }

    [Fact]
    public void Timestamp_exactly_at_the_floor_is_accepted()
    {
        var outcome = Validate(Fuel(timestamp: ObservationValidator.DefaultTimestampFloor));

        Assert.Equal(ObservationValidator.DefaultTimestampFloor, Assert.Single(outcome.Observations).Timestamp);
    }

    [Fact]
    public void Configured_floor_replaces_the_default()
    {
        var validator = new ObservationValidator(_time) { TimestampFloor = new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        var before = validator.Validate([Fuel(timestamp: new DateTimeOffset(2013, 12, 31, 23, 59, 59, TimeSpan.Zero))], _catalog);
        var after = validator.Validate([Fuel(timestamp: new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero))], _catalog);

        AssertOnlyError(before, "[0].timestamp", "2014-01-01");
        Assert.True(after.IsValid);
    }

    [Fact]
    public void Timestamp_up_to_five_minutes_ahead_is_accepted()
    {
        var outcome = Validate(Fuel(timestamp: Now + ObservationValidator.FutureTolerance));

        Assert.Equal(Now.AddMinutes(5), Assert.Single(outcome.Observations).Timestamp);
    }

    [Fact]
    public void Timestamp_more_than_five_minutes_ahead_is_refused()
    {
        var outcome = Validate(Fuel(timestamp: Now.AddMinutes(5).AddMilliseconds(1)));

        AssertOnlyError(outcome, "[0].timestamp", "5 minutes in the future");
    }

    [Fact]
    public void Future_limit_moves_with_the_clock()
    {
        var later = Now.AddHours(1);
        Assert.False(Validate(Fuel(timestamp: later)).IsValid);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(Validate(Fuel(timestamp: later)).IsValid);
    }

    [Fact]
    public void Source_of_200_characters_is_accepted()
    {
        var source = new string('s', ObservationValidator.MaxSourceLength);

        Assert.Equal(source, Assert.Single(Validate(Fuel(source: source)).Observations).Source);
    }

    [Fact]
    public void Source_longer_than_200_characters_is_refused()
    {
        var outcome = Validate(Fuel(source: new string('s', ObservationValidator.MaxSourceLength + 1)));

        AssertOnlyError(outcome, "[0].source", "200");
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("escape\u001b[31m")]
    [InlineData("delete\u007f")]
    [InlineData("next line\u0085")]
    public void Source_with_control_characters_is_refused(string source)
    {
        AssertOnlyError(Validate(Fuel(source: source)), "[0].source", "Control characters");
    }

    [Fact]
    public void Note_of_4000_characters_is_accepted()
    {
        var note = new string('n', ObservationValidator.MaxNoteLength);

        Assert.Equal(note, Assert.Single(Validate(Fuel(note: note)).Observations).Note);
    }

    [Fact]
    public void Note_longer_than_4000_characters_is_refused()
    {
        var outcome = Validate(Fuel(note: new string('n', ObservationValidator.MaxNoteLength + 1)));

        AssertOnlyError(outcome, "[0].note", "4,000");
    }

    [Theory]
    [InlineData("first line\nsecond line")]
    [InlineData("windows\r\nline")]
    [InlineData("column\tcolumn")]
    public void Note_may_hold_newlines_and_tabs(string note)
    {
        Assert.Equal(note, Assert.Single(Validate(Fuel(note: note)).Observations).Note);
    }

    [Theory]
    [InlineData("nul\0")]
    [InlineData("bell\a")]
    [InlineData("escape\u001b[2J")]
    [InlineData("backspace\b")]
    [InlineData("form feed\f")]
    [InlineData("delete\u007f")]
    [InlineData("c1\u0090")]
    public void Note_with_other_control_characters_is_refused(string note)
    {
        AssertOnlyError(Validate(Fuel(note: note)), "[0].note", "Control characters");
    }

    [Fact]
    public void Text_that_looks_like_injection_is_kept_verbatim()
    {
        const string source = "x\" OR 1=1; DROP TABLE observations; --";
        const string note = "fuel,site=mosul value=1 1402000000\n'; DELETE FROM \"monitor\"..\"observations\" WHERE ''='";

        var observation = Assert.Single(Validate(Fuel(source: source, note: note)).Observations);

        Assert.Equal(source, observation.Source);
        Assert.Equal(note, observation.Note);
    }

    [Fact]
    public void Empty_source_and_note_are_stored_as_absent()
    {
        var observation = Assert.Single(Validate(Fuel(source: "", note: "")).Observations);

        Assert.Null(observation.Source);
        Assert.Null(observation.Note);
    }

    [Fact]
    public void Empty_batch_is_refused()
    {
        AssertOnlyError(Validate(), "body", "1 to 10,000");
    }

    [Fact]
    public void Missing_batch_is_refused()
    {
        AssertOnlyError(Validator.Validate(null, _catalog), "body");
    }

    [Fact]
    public void Batch_of_10000_is_accepted()
    {
        var batch = Enumerable.Range(0, ObservationValidator.MaxBatchSize)
            .Select(i => (ObservationInput?)Fuel(value: i % 101, timestamp: Now.AddSeconds(-i)))
            .ToArray();

        Assert.Equal(ObservationValidator.MaxBatchSize, Validator.Validate(batch, _catalog).Observations.Count);
    }

    [Fact]
    public void Batch_over_10000_is_refused_whole()
    {
        var batch = Enumerable.Range(0, ObservationValidator.MaxBatchSize + 1)
            .Select(i => (ObservationInput?)Fuel(value: 1, timestamp: Now.AddSeconds(-i)))
            .ToArray();

        AssertOnlyError(Validator.Validate(batch, _catalog), "body", "10,001");
    }

    [Fact]
    public void Batch_with_one_invalid_item_accepts_nothing_and_names_the_item()
    {
        var outcome = Validate(Fuel(value: 1), Fuel(value: 2), Fuel(value: 101), Refinery("operating"));

        AssertOnlyError(outcome, "[2].value");
    }

    [Fact]
    public void Errors_of_several_items_are_keyed_by_index_and_field()
    {
        var outcome = Validate(
            Fuel(),
            new ObservationInput("atlantis", FuelStationsOpen, Value: 1, Timestamp: Now),
            Refinery("melting"),
            Fuel(source: "a\nb", note: "\0"));

        Assert.False(outcome.IsValid);
        Assert.Empty(outcome.Observations);
        Assert.Equal(["[1].siteId", "[2].state", "[3].note", "[3].source"], outcome.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_problem_of_one_item_is_reported()
    {
        var outcome = Validate(new ObservationInput(
            Mosul, FuelStationsOpen, Value: 250, State: "open", Timestamp: Now.AddDays(1), Source: "\t", Note: new string('n', 4001)));

        Assert.Equal(
            ["[0].note", "[0].source", "[0].state", "[0].timestamp", "[0].value"],
            outcome.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Null_item_is_refused_by_its_index()
    {
        AssertOnlyError(Validate(Fuel(), null), "[1]", "required");
    }

    [Fact]
    public void Valid_batch_keeps_its_order()
    {
        var outcome = Validate(Fuel(value: 3), Refinery("reduced"), Fuel(value: 1, timestamp: Now.AddHours(-5)));

        Assert.Equal([3, null, 1], outcome.Observations.Select(o => o.Value));
    }

    [Fact]
    public void A_batch_checked_item_by_item_gives_what_validating_it_whole_gives()
    {
        ObservationInput[] batch = [Fuel(35.5, source: "field team", note: "long queues"), Refinery("reduced"), Fuel(0, Now.AddHours(-2))];
        var check = Validator.Begin(_catalog);

        Assert.All(batch, item => Assert.True(check.TryAdd(ObservationFields.Of(item))));

        Assert.True(check.IsComplete);
        Assert.Equal(Validate(batch).Observations, check.Observations);
    }

    [Fact]
    public void A_batch_checked_item_by_item_stops_at_the_first_item_with_an_error()
    {
        var check = Validator.Begin(_catalog);

        Assert.True(check.TryAdd(ObservationFields.Of(Fuel(10))));
        Assert.False(check.TryAdd(ObservationFields.Of(Fuel(101))));
        Assert.False(check.TryAdd(ObservationFields.Of(Fuel(20))));

        Assert.False(check.IsComplete);
    }

    [Fact]
    public void A_batch_checked_item_by_item_is_complete_with_one_to_the_largest_batch_of_items()
    {
        var check = Validator.Begin(_catalog);
        Assert.False(check.IsComplete);

        for (var i = 0; i < ObservationValidator.MaxBatchSize; i++)
            Assert.True(check.TryAdd(ObservationFields.Of(Fuel(1, Now.AddMinutes(-1 - i)))));
        Assert.True(check.IsComplete);

        Assert.False(check.TryAdd(ObservationFields.Of(Fuel(1, Now.AddDays(-30)))));
        Assert.False(check.IsComplete);
    }
}
