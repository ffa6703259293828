using System.Buffers;
using Monitor.Domain.Catalog;

namespace Monitor.Domain.Observations;

/// <summary>
/// Checks a batch against the catalog. The batch is all-or-nothing: any error means nothing is stored, and every
/// error is keyed <c>[index].field</c> so a reporter can find the offending item.
/// </summary>
public sealed class ObservationValidator(TimeProvider time)
{
    public const int MaxBatchSize = 10_000;
    public const int MaxSourceLength = 200;
    public const int MaxNoteLength = 4_000;
    public const int MaxReasonLength = 1_000;
    public static readonly DateTimeOffset DefaultTimestampFloor = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public DateTimeOffset TimestampFloor { get; init; } = DefaultTimestampFloor;

    public ValidationOutcome Validate(IReadOnlyList<ObservationInput?>? batch, CatalogSnapshot catalog)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (batch is null || batch.Count == 0)
        {
            Add(errors, "body", "Send a JSON array of 1 to 10,000 observations.");
            return ValidationOutcome.Failed(errors);
        }
        if (batch.Count > MaxBatchSize)
        {
            Add(errors, "body", $"A batch holds at most {MaxBatchSize:N0} observations; this one has {batch.Count:N0}.");
            return ValidationOutcome.Failed(errors);
        }

        var now = time.GetUtcNow();
        var accepted = new List<Observation>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var observation = ValidateItem(batch[i], i, now, catalog, errors);
            if (observation is not null) accepted.Add(observation);
        }

        return errors.Count == 0 ? ValidationOutcome.Succeeded(accepted) : ValidationOutcome.Failed(errors);
    }

    /// <summary>
    /// Checks a batch item by item as a reader produces them, without an <see cref="ObservationInput"/> per item (the
    /// ingest path's allocations are most of its cost). It stops taking items at the first that fails or past the batch
    /// limit; the caller then validates the same body with <see cref="Validate"/>, which names every error.
    /// </summary>
    public BatchCheck Begin(CatalogSnapshot catalog, int expectedItems = 0) => new(this, catalog, time.GetUtcNow(), expectedItems);

    /// <summary>A batch being checked item by item (see <see cref="Begin"/>).</summary>
    public sealed class BatchCheck
    {
        private readonly ObservationValidator _validator;
        private readonly CatalogSnapshot _catalog;
        private readonly DateTimeOffset _now;
        private readonly List<Observation> _accepted;
        // Where a failing item's errors go; unread, since the caller validates the body again to name them all.
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
        private bool _stopped;

        internal BatchCheck(ObservationValidator validator, CatalogSnapshot catalog, DateTimeOffset now, int expectedItems)
        {
            (_validator, _catalog, _now) = (validator, catalog, now);
            _accepted = new List<Observation>(Math.Clamp(expectedItems, 0, MaxBatchSize));
        }

        /// <summary>The checked observations, in order; the whole batch once <see cref="IsComplete"/>.</summary>
        public IReadOnlyList<Observation> Observations => _accepted;

        /// <summary>Every item so far passed, and the batch holds 1 to <see cref="MaxBatchSize"/> of them.</summary>
        public bool IsComplete => !_stopped && _accepted.Count > 0;

        /// <summary>Checks the next item; false once one has failed or the batch is too large.</summary>
        public bool TryAdd(in ObservationFields item)
        {
            if (_stopped) return false;
            if (_accepted.Count == MaxBatchSize || _validator.ValidateItem(item, _accepted.Count, _now, _catalog, _errors) is not { } observation)
            {
                _stopped = true;
                return false;
            }
            _accepted.Add(observation);
            return true;
        }
    }

    /// <summary>
    /// Checks each item on its own, for an import that may keep the valid ones: the checked observation (or null) per
    /// item, and the errors keyed <c>[index].field</c> as <see cref="Validate"/> keys them.
    /// </summary>
    public (IReadOnlyList<Observation?> Items, Dictionary<string, List<string>> Errors) ValidateEach(IReadOnlyList<ObservationInput> items, CatalogSnapshot catalog)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var checkedItems = new Observation?[items.Count];
        for (var i = 0; i < items.Count; i++) checkedItems[i] = ValidateItem(items[i], i, now, catalog, errors);
        return (checkedItems, errors);
    }

    private Observation? ValidateItem(
        ObservationInput? item, int index, DateTimeOffset now, CatalogSnapshot catalog, Dictionary<string, List<string>> errors)
    {
        if (item is null)
        {
            Add(errors, $"[{index}]", "An observation object is required.");
            return null;
        }
        return ValidateItem(ObservationFields.Of(item), index, now, catalog, errors);
    }

    private Observation? ValidateItem(
        in ObservationFields item, int index, DateTimeOffset now, CatalogSnapshot catalog, Dictionary<string, List<string>> errors)
    {
        var before = errors.Count;

        // The key prefix of this item's errors, made only when there is one (most items of most batches are valid).
        var at = new ItemKey(index);

        var (site, indicator) = FindSeries(item.SiteId, item.IndicatorId, at, catalog, errors);
        if (indicator is not null) ValidateReading(item.Value, item.State, indicator, at, errors);

        var timestamp = (item.Timestamp ?? now).ToUniversalTime();
        var floor = StorableTime.Clamp(TimestampFloor);
        if (timestamp < floor)
            Add(errors, at + "timestamp", $"timestamp must not be before {floor:yyyy-MM-dd}.");
        else if (timestamp > now + FutureTolerance)
            Add(errors, at + "timestamp", "timestamp must not be more than 5 minutes in the future.");

        ValidateText(item.Source, MaxSourceLength, allowLineBreaks: false, at, "source", errors);
        ValidateText(item.Note, MaxNoteLength, allowLineBreaks: true, at, "note", errors);

        if (errors.Count != before) return null;
        return new Observation(
            site!.Id, indicator!.Id, TruncateToMilliseconds(timestamp), item.Value, item.State,
            string.IsNullOrEmpty(item.Source) ? null : item.Source,
            string.IsNullOrEmpty(item.Note) ? null : item.Note);
    }

    /// <summary>
    /// Checks a correction or void of one reading: the series must exist, the new reading fit the indicator (unless
    /// voiding), the timestamp be given, and a reason be stated. Errors are keyed by field name.
    /// </summary>
    public CorrectionOutcome ValidateCorrection(CorrectionInput? input, CatalogSnapshot catalog)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (input is null)
        {
            Add(errors, "body", "Send a JSON object {siteId, indicatorId, timestamp, value | state | void: true, reason}.");
            return CorrectionOutcome.Failed(errors);
        }

        var (site, indicator) = FindSeries(input.SiteId, input.IndicatorId, ItemKey.None, catalog, errors);
        var voiding = input.Void == true;
        if (voiding)
        {
            if (input.Value is not null) Add(errors, "value", "Send either a new value or void: true, not both.");
            if (input.State is not null) Add(errors, "state", "Send either a new state or void: true, not both.");
        }
        else if (indicator is not null)
        {
            ValidateReading(input.Value, input.State, indicator, ItemKey.None, errors);
        }

        if (input.Timestamp is null) Add(errors, "timestamp", "timestamp is required: the time of the reading to correct.");
        if (string.IsNullOrWhiteSpace(input.Reason)) Add(errors, "reason", "reason is required: say why the reading is corrected or voided.");
        else ValidateText(input.Reason, MaxReasonLength, allowLineBreaks: true, ItemKey.None, "reason", errors);

        if (errors.Count > 0) return CorrectionOutcome.Failed(errors);
        var key = new ObservationKey(site!.Id, indicator!.Id, TruncateToMilliseconds(input.Timestamp!.Value.ToUniversalTime()));
        return new CorrectionOutcome(new Correction(key, input.Value, input.State, voiding, input.Reason!.Trim()), new Dictionary<string, string[]>());
    }

    private static (Site? Site, IndicatorDefinition? Indicator) FindSeries(
        string? siteId, string? indicatorId, ItemKey at, CatalogSnapshot catalog, Dictionary<string, List<string>> errors)
    {
        Site? site = null;
        if (string.IsNullOrEmpty(siteId)) Add(errors, at + "siteId", "siteId is required.");
        else if ((site = catalog.FindSite(siteId)) is null) Add(errors, at + "siteId", $"Unknown site '{Printable(siteId)}'.");

        IndicatorDefinition? indicator = null;
        if (string.IsNullOrEmpty(indicatorId)) Add(errors, at + "indicatorId", "indicatorId is required.");
        else if ((indicator = catalog.FindIndicator(indicatorId)) is null)
            Add(errors, at + "indicatorId", $"Unknown indicator '{Printable(indicatorId)}'.");
        else if (site is not null && !indicator.AppliesTo(site))
            Add(errors, at + "indicatorId", $"Indicator '{indicator.Id}' does not apply to {site.Kind} sites such as '{site.Id}'.");
        return (site, indicator);
    }

    private static void ValidateReading(double? value, string? state, IndicatorDefinition indicator, ItemKey at, Dictionary<string, List<string>> errors)
    {
        if (indicator.Kind == IndicatorKind.Numeric)
        {
            if (state is not null) Add(errors, at + "state", $"'{indicator.Id}' is numeric: send value, not state.");
            if (value is not { } number) Add(errors, at + "value", $"value is required for '{indicator.Id}'.");
            else if (!double.IsFinite(number)) Add(errors, at + "value", "value must be a finite number.");
            else if (number < indicator.Min || number > indicator.Max)
                Add(errors, at + "value", $"value must be between {indicator.Min} and {indicator.Max} {indicator.Unit}".TrimEnd() + ".");
            return;
        }

        if (value is not null) Add(errors, at + "value", $"'{indicator.Id}' is a state indicator: send state, not value.");
        if (string.IsNullOrEmpty(state)) Add(errors, at + "state", $"state is required for '{indicator.Id}'.");
        else if (!indicator.States.Contains(state, StringComparer.Ordinal))
            Add(errors, at + "state", $"state must be one of: {string.Join(", ", indicator.States)}.");
    }

    private static void ValidateText(
        string? text, int maxLength, bool allowLineBreaks, ItemKey at, string field, Dictionary<string, List<string>> errors)
    {
        if (text is null) return;
        if (text.Length > maxLength) Add(errors, at + field, $"At most {maxLength:N0} characters.");
        if (text.AsSpan().ContainsAny(allowLineBreaks ? ControlsButLineBreaks : Controls))
        {
            Add(errors, at + field, allowLineBreaks
                ? "Control characters are not allowed (newline and tab are)."
                : "Control characters, including newlines and tabs, are not allowed.");
        }
    }

    private static readonly SearchValues<char> Controls = SearchValues.Create(
        Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(char.IsControl).ToArray());

    private static readonly SearchValues<char> ControlsButLineBreaks = SearchValues.Create(
        Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')).ToArray());

    /// <summary>Where an item's errors are keyed: <c>[index].field</c>, or the bare field outside a batch.</summary>
    private readonly record struct ItemKey(int Index)
    {
        public static readonly ItemKey None = new(-1);

        public static string operator +(ItemKey at, string field) => at.Index < 0 ? field : $"[{at.Index}].{field}";
    }

    /// <summary>The instant as observations are kept: UTC, to the millisecond.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    // Echo unknown ids back without letting them break the message (they are user text).
    private static string Printable(string s) =>
        new(s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
        list.Add(message);
    }
}

public sealed record ValidationOutcome(IReadOnlyList<Observation> Observations, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public static ValidationOutcome Succeeded(IReadOnlyList<Observation> observations) =>
        new(observations, new Dictionary<string, string[]>());

    public static ValidationOutcome Failed(Dictionary<string, List<string>> errors) =>
        new([], errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}

/// <summary>A correction as a client sends it: a new value or state for an existing reading, or <c>void: true</c>.</summary>
public sealed record CorrectionInput(
    string? SiteId,
    string? IndicatorId,
    DateTimeOffset? Timestamp,
    double? Value = null,
    string? State = null,
    bool? Void = null,
    string? Reason = null);

/// <summary>A checked correction: the reading it targets and what it becomes.</summary>
public sealed record Correction(ObservationKey Key, double? Value, string? State, bool Void, string Reason);

public sealed record CorrectionOutcome(Correction? Correction, IReadOnlyDictionary<string, string[]> Errors)
{
    public static CorrectionOutcome Failed(Dictionary<string, List<string>> errors) =>
        new(null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
