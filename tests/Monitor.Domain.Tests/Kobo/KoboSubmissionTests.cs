using Monitor.Domain.Kobo;
using Monitor.Domain.Observations;
using static Monitor.Domain.Tests.TestCatalog;

namespace Monitor.Domain.Tests.Kobo;

public sealed class KoboSubmissionTests
{
    private static readonly KoboMapping Mapping = new()
    {
        Id = "crossing-check",
        Site = "post/crossing",
        Source = "KoboToolbox",
        Questions =
        [
            new KoboQuestion { Field = "post/status", Indicator = CrossingStatus, Choices = new Dictionary<string, string> { ["shut"] = "closed", ["normal"] = "open" } },
        ],
    };

    private static Dictionary<string, string?> Answers(params (string Field, string? Value)[] answers) =>
        answers.ToDictionary(a => a.Field, a => a.Value);

    [Fact]
    public void The_test_mapping_is_valid_against_the_catalog() => Assert.Null(KoboMappingValidator.Validate(Mapping, Create()));

    [Fact]
    public void Choice_becomes_the_state_at_the_forms_end_time_with_its_offset()
    {
        var submission = KoboSubmission.Read(Mapping, Answers(
            ("_uuid", "e58da38d-3eee-4bd7-8512-4a97ea8fbb01"), ("end", "2014-06-21T09:14:16.131+03:00"), ("post/crossing", AlQaim), ("post/status", "shut")));

        Assert.True(submission.IsValid);
        Assert.Equal("e58da38d-3eee-4bd7-8512-4a97ea8fbb01", submission.Uuid);
        var item = Assert.Single(submission.Batch);
        Assert.Equal(new ObservationInput(AlQaim, CrossingStatus, State: "closed", Timestamp: new DateTimeOffset(2014, 6, 21, 6, 14, 16, 131, TimeSpan.Zero), Source: "KoboToolbox"),
            item with { Timestamp = item.Timestamp!.Value.ToUniversalTime() });
    }

    [Fact]
    public void Without_end_the_servers_submission_time_counts_as_UTC_and_the_instance_id_as_the_uuid()
    {
        var submission = KoboSubmission.Read(Mapping, Answers(
            ("meta/instanceID", "uuid:5c408d9d-6a76-4fbb-bf4e-9ed8f8e3e382"), ("_submission_time", "2014-06-21T13:14:26"),
            ("post/crossing", AlQaim), ("post/status", "normal")));

        Assert.Equal("5c408d9d-6a76-4fbb-bf4e-9ed8f8e3e382", submission.Uuid);
        Assert.Equal(new DateTimeOffset(2014, 6, 21, 13, 14, 26, TimeSpan.Zero), Assert.Single(submission.Batch).Timestamp);
    }

    [Fact]
    public void Pipeline_errors_are_renamed_to_the_form_fields_that_caused_them()
    {
        var submission = KoboSubmission.Read(Mapping, Answers(
            ("_uuid", "a"), ("end", "2014-06-21T09:14:16+03:00"), ("post/crossing", "nowhere"), ("post/status", "shut")));

        var renamed = submission.FormErrors(new Dictionary<string, string[]>
        {
            ["[0].siteId"] = ["Unknown site 'nowhere'."],
            ["[0].state"] = ["bad state"],
            ["[0].timestamp"] = ["in the future"],
        });

        Assert.Equal(["end", "post/crossing", "post/status"], renamed.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("post/crossing", null, "post/crossing")]
    [InlineData("post/status", "sealed", "post/status")]
    [InlineData("_uuid", null, "_uuid")]
    [InlineData("end", "yesterday", "end")]
    public void A_missing_or_unreadable_answer_is_an_error_on_its_field(string field, string? value, string expected)
    {
        var answers = Answers(("_uuid", "a"), ("end", "2014-06-21T09:14:16+03:00"), ("post/crossing", AlQaim), ("post/status", "shut"));
        answers[field] = value;

        var submission = KoboSubmission.Read(Mapping, answers);

        Assert.False(submission.IsValid);
        Assert.Contains(expected, submission.Errors.Keys);
    }
}
