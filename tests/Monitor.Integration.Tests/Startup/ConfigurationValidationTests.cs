using Monitor.Integration.Tests.Fixtures;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Startup;

public sealed class ConfigurationValidationTests
{
    private static async Task<string> StartFailureAsync(params (string Key, string? Value)[] settings)
    {
        await using var app = new MonitorAppFactory();
        foreach (var (key, value) in settings) app.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException) messages.Add(e.Message);
        if (error is AggregateException aggregate) messages.AddRange(aggregate.Flatten().InnerExceptions.Select(e => e.Message));
        return string.Join(" | ", messages);
    }

    [Fact]
    public async Task Api_key_shorter_than_16_characters_fails_start_naming_the_setting()
    {
        var message = await StartFailureAsync(("Auth:ApiKeys:1:Key", "fifteen-chars-x"));

        Assert.Contains("Auth:ApiKeys:1:Key", message, StringComparison.Ordinal);
        Assert.Contains("16", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_api_key_fails_start_naming_the_setting()
    {
        var message = await StartFailureAsync(("Auth:ApiKeys:4:Name", "extra"), ("Auth:ApiKeys:4:Role", "Viewer"));

        Assert.Contains("Auth:ApiKeys:4:Key", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("monitor.example.org")]
    [InlineData("https://monitor.example.org/path")]
    [InlineData("ftp://monitor.example.org")]
    public async Task Allowed_origin_that_is_not_an_origin_fails_start_naming_the_setting(string origin)
    {
        var message = await StartFailureAsync(("Auth:AllowedOrigins:0", origin));

        Assert.Contains("Auth:AllowedOrigins:0", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Superuser")]
    [InlineData("")]
    [InlineData("5")]
    public async Task Unknown_role_fails_start_naming_the_setting(string role)
    {
        var message = await StartFailureAsync(("Auth:ApiKeys:2:Role", role));

        Assert.Contains("Auth:ApiKeys:2:Role", message, StringComparison.Ordinal);
        Assert.Contains("Viewer, Reporter, Coordinator, Admin", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_without_a_name_fails_start_naming_the_setting()
    {
        var message = await StartFailureAsync(("Auth:ApiKeys:0:Name", " "));

        Assert.Contains("Auth:ApiKeys:0:Name", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_key_configured_twice_fails_start()
    {
        var message = await StartFailureAsync(("Auth:ApiKeys:3:Key", ViewerKey));

        Assert.Contains("Auth:ApiKeys", message, StringComparison.Ordinal);
        Assert.Contains("more than once", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Influxdb_store_without_a_url_fails_start_naming_the_setting()
    {
        var message = await StartFailureAsync(("Storage:Provider", "InfluxDB"));

        Assert.Contains("InfluxDB:Url", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_are_matched_regardless_of_case()
    {
        await using var app = new MonitorAppFactory();
        app.Settings["Auth:ApiKeys:0:Role"] = "viewer";

        using var client = app.CreateClient(ViewerKey);
        using var response = await client.GetAsync("/api/sites");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
