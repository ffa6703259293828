using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Kobo;

/// <summary>
/// The app with two KoboToolbox mappings in its seed folder: a fuel station survey whose town list uses the form's own
/// choice names, and a border post check whose answer is the site id and whose status choices map to states.
/// </summary>
public sealed class KoboAppFactory : MonitorAppFactory
{
    public const string FuelSurvey = "fuel-station-survey";
    public const string BorderPost = "border-post";

    public KoboAppFactory()
    {
        WriteMapping(SeedDirectory, FuelSurvey, """
            {
              "title": "Fuel station survey",
              "site": "location/town",
              "siteChoices": { "mosul": "mosul", "kirkuk": "kirkuk", "tal_afar": "tal-afar", "rawa": "rawa" },
              "timestamp": "end",
              "source": "KoboToolbox fuel station survey",
              "note": "comments",
              "questions": [ { "field": "stations/open_pct", "indicator": "fuel.stations_open_pct" } ]
            }
            """);
        WriteMapping(SeedDirectory, BorderPost, """
            {
              "site": "post/crossing",
              "source": "KoboToolbox border post check",
              "questions": [
                { "field": "post/status", "indicator": "crossing.status", "choices": { "normal": "open", "partial": "restricted", "shut": "closed" } }
              ]
            }
            """);
    }

    public static void WriteMapping(string seedDirectory, string name, string json)
    {
        var folder = Path.Combine(seedDirectory, "kobo");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".json"), json);
    }
}

/// <summary>Submissions shaped as KoboToolbox REST Services post them (JSON): flat <c>group/question</c> keys, answers as text.</summary>
public static class KoboPayloads
{
    private const string FormUuid = "f7bef041e8624f09946bff05ee5cbd4b";

    /// <summary>A fuel station survey filled in on a phone in Iraq (+03:00), received by Kobo 20 minutes later.</summary>
    public static Dictionary<string, object?> FuelSurvey(string uuid, string town, DateTimeOffset endUtc, string openPct, string? comments = null)
    {
        var submission = Envelope(uuid, endUtc, "aZpYbKqUbmuxX3mFKSrFGa");
        submission["location/town"] = town;
        submission["stations/open_pct"] = openPct;
        submission["comments"] = comments;
        return submission;
    }

    public static Dictionary<string, object?> BorderPost(string uuid, string crossing, DateTimeOffset endUtc, string status)
    {
        var submission = Envelope(uuid, endUtc, "aQ8n2Jf6eYyxXz3T2uRVbD");
        submission["post/crossing"] = crossing;
        submission["post/status"] = status;
        return submission;
    }

    private static Dictionary<string, object?> Envelope(string uuid, DateTimeOffset endUtc, string formId)
    {
        var local = TimeSpan.FromHours(3);
        return new Dictionary<string, object?>
        {
            ["_id"] = 124961136,
            ["formhub/uuid"] = FormUuid,
            ["start"] = endUtc.AddMinutes(-7).ToOffset(local).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["end"] = endUtc.ToOffset(local).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["today"] = endUtc.ToOffset(local).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["deviceid"] = "collect:pEo4VhQlQDnvDCNj",
            ["__version__"] = "vLnrnT6Pvzgeh4DVfj6eDz",
            ["meta/instanceID"] = "uuid:" + uuid,
            ["_xform_id_string"] = formId,
            ["_uuid"] = uuid,
            ["_attachments"] = Array.Empty<object>(),
            ["_status"] = "submitted_via_web",
            ["_geolocation"] = new object?[] { null, null },
            ["_submission_time"] = endUtc.AddMinutes(20).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["_tags"] = Array.Empty<object>(),
            ["_notes"] = Array.Empty<object>(),
            ["_validation_status"] = new Dictionary<string, object>(),
            ["_submitted_by"] = "enumerator_kirkuk_2",
        };
    }

    public static string NewUuid() => Guid.NewGuid().ToString();

    /// <summary>Posts as a Kobo REST Service with basic auth: any user name, the API key as the password.</summary>
    public static Task<HttpResponseMessage> PostKoboAsync(this HttpClient client, string mapping, object submission, string? basicPassword = ReporterKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ingest/kobo/{mapping}")
        {
            Content = new StringContent(JsonSerializer.Serialize(submission), Encoding.UTF8, "application/json"),
        };
        if (basicPassword is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("kobo:" + basicPassword)));
        return client.SendAsync(request);
    }
}
