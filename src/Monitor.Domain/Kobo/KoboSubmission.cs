using System.Globalization;
using Monitor.Domain.Observations;

namespace Monitor.Domain.Kobo;

/// <summary>
/// One form submission read through its mapping: the batch it becomes, and any problem keyed by the form field a
/// field team would recognise (<c>fuel/price</c>, not <c>[1].value</c>).
/// </summary>
public sealed class KoboSubmission
{
    /// <summary>Kobo's own id of every submission; ODK sends only the instance id, <c>uuid:</c> and the same value.</summary>
    public const string UuidField = "_uuid";
    public const string InstanceIdField = "meta/instanceID";
    /// <summary>When the server received the submission (UTC without an offset): the time when the form's own field is empty.</summary>
    public const string SubmissionTimeField = "_submission_time";
    public const int MaxUuidLength = 100;

    private readonly KoboMapping _mapping;
    private readonly List<string> _fields = [];
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private string _timestampField;

    private KoboSubmission(KoboMapping mapping)
    {
        _mapping = mapping;
        _timestampField = mapping.Timestamp;
    }

    /// <summary>The submission's id (<c>_uuid</c>), which makes a resend recognisable.</summary>
    public string? Uuid { get; private set; }

    public IReadOnlyList<ObservationInput> Batch { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    /// <summary>Reads the answers (flattened to <c>group/question</c> paths, as Kobo sends them) through a checked mapping.</summary>
    public static KoboSubmission Read(KoboMapping mapping, IReadOnlyDictionary<string, string?> answers)
    {
        var submission = new KoboSubmission(mapping);
        submission.ReadAnswers(answers);
        return submission;
    }

    private void ReadAnswers(IReadOnlyDictionary<string, string?> answers)
    {
        Uuid = Answer(answers, UuidField) ?? StripUuidPrefix(Answer(answers, InstanceIdField));
        if (Uuid is null) Add(UuidField, $"The submission has no {UuidField} (nor {InstanceIdField}); it cannot be recognised when Kobo sends it again.");
        else if (Uuid.Length > MaxUuidLength) Add(UuidField, $"At most {MaxUuidLength} characters.");

        var siteId = ReadSite(answers);
        var timestamp = ReadTimestamp(answers);
        var note = _mapping.Note is { } noteField ? Answer(answers, noteField) : null;

        var batch = new List<ObservationInput>();
        foreach (var question in _mapping.Questions!)
        {
            if (Answer(answers, question.Field!) is not { } answer) continue;
            if (question.Choices is { Count: > 0 } choices)
            {
                if (choices.TryGetValue(answer, out var state))
                    Append(batch, question, new ObservationInput(siteId, question.Indicator, State: state, Timestamp: timestamp, Source: _mapping.Source, Note: note));
                else
                    Add(question.Field!, $"Unknown choice '{answer}'; this form's choices are: {string.Join(", ", choices.Keys)}.");
            }
            else if (double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                Append(batch, question, new ObservationInput(siteId, question.Indicator, Value: value, Timestamp: timestamp, Source: _mapping.Source, Note: note));
            }
            else
            {
                Add(question.Field!, $"'{answer}' is not a number.");
            }
        }

        if (batch.Count == 0 && IsValid)
            Add("questions", $"The submission answers none of the mapped questions ({string.Join(", ", _mapping.Questions!.Select(q => q.Field))}).");
        Batch = batch;
    }

    private void Append(List<ObservationInput> batch, KoboQuestion question, ObservationInput input)
    {
        batch.Add(input);
        _fields.Add(question.Field!);
    }

    private string? ReadSite(IReadOnlyDictionary<string, string?> answers)
    {
        var field = _mapping.Site!;
        if (Answer(answers, field) is not { } answer)
        {
            Add(field, $"The site field '{field}' is missing or empty.");
            return null;
        }
        if (_mapping.SiteChoices is not { Count: > 0 } choices) return answer;
        if (choices.TryGetValue(answer, out var siteId)) return siteId;
        Add(field, $"Unknown site choice '{answer}'.");
        return null;
    }

    private DateTimeOffset? ReadTimestamp(IReadOnlyDictionary<string, string?> answers)
    {
        var answer = Answer(answers, _mapping.Timestamp);
        if (answer is null && Answer(answers, SubmissionTimeField) is { } received)
        {
            _timestampField = SubmissionTimeField;
            answer = received;
        }
        if (answer is null)
        {
            Add(_mapping.Timestamp, $"The time field '{_mapping.Timestamp}' is missing or empty (and so is {SubmissionTimeField}).");
            return null;
        }
        // Kobo's own times carry no offset and are UTC; the form's (start, end) carry the device's offset.
        if (DateTimeOffset.TryParse(answer, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)) return timestamp;
        Add(_timestampField, $"'{answer}' is not a date and time (ISO 8601).");
        return null;
    }

    /// <summary>
    /// The pipeline's errors (keyed <c>[index].field</c>) renamed to the form's fields: the site, the time, or the
    /// question whose answer became that observation.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> FormErrors(IReadOnlyDictionary<string, string[]> pipelineErrors)
    {
        var renamed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, messages) in pipelineErrors)
        {
            var field = FormField(key);
            if (!renamed.TryGetValue(field, out var list)) renamed[field] = list = [];
            foreach (var message in messages)
            {
                if (!list.Contains(message)) list.Add(message);
            }
        }
        return renamed.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private string FormField(string key)
    {
        var close = key.IndexOf(']');
        if (!key.StartsWith('[') || close < 0) return key;
        if (!int.TryParse(key.AsSpan(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= _fields.Count) return key;
        return key[(close + 1)..].TrimStart('.') switch
        {
            "siteId" => _mapping.Site!,
            "timestamp" => _timestampField,
            "note" when _mapping.Note is not null => _mapping.Note,
            "source" => "source",
            _ => _fields[index],
        };
    }

    private static string? Answer(IReadOnlyDictionary<string, string?> answers, string field) =>
        answers.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? StripUuidPrefix(string? instanceId) =>
        instanceId is not null && instanceId.StartsWith("uuid:", StringComparison.Ordinal) ? instanceId["uuid:".Length..] : instanceId;

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }
}
