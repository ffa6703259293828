using Monitor.AlertListener;

namespace Monitor.AlertListener.Tests;

public sealed class ListenerOptionsTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static ListenerOptions Valid(params string[] args)
    {
        var parsed = ListenerOptions.Parse(args, NoEnvironment);
        Assert.True(parsed.Options is not null, parsed.Error);
        return parsed.Options;
    }

    private static string Invalid(string[] args, Func<string, string?>? environment = null)
    {
        var parsed = ListenerOptions.Parse(args, environment ?? NoEnvironment);
        Assert.Null(parsed.Options);
        Assert.False(parsed.ShowHelp);
        return parsed.Error!;
    }

    [Fact]
    public void Regions_and_sites_repeat_and_everything_else_has_a_default()
    {
        var options = Valid("--url", "http://localhost:5080", "--api-key", "k", "--region", "Anbar", "--region", "Ninawa", "--site", "baiji-refinery");

        Assert.Equal(new Uri("http://localhost:5080/"), options.Server);
        Assert.Equal(["Anbar", "Ninawa"], options.Regions);
        Assert.Equal(["baiji-refinery"], options.SiteIds);
        Assert.Equal(Severity.Info, options.MinSeverity);
        Assert.False(options.Json);
        Assert.Null(options.Since);
        Assert.Null(options.StateFile);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = Valid("--url", "https://monitor.example.org/app", "--api-key", "k", "--min-severity", "Critical", "--json",
            "--since", "0", "--state-file", "last.seq");

        Assert.Equal(new Uri("https://monitor.example.org/app/"), options.Server);
        Assert.Equal(Severity.Critical, options.MinSeverity);
        Assert.True(options.Json);
        Assert.Equal(0, options.Since);
        Assert.Equal("last.seq", options.StateFile);
    }

    [Fact]
    public void Api_key_comes_from_the_environment_when_not_given()
    {
        var parsed = ListenerOptions.Parse(["--url", "http://localhost:5080"], name => name == "MONITOR_API_KEY" ? "from-env" : null);

        Assert.Equal("from-env", parsed.Options?.ApiKey);
    }

    [Fact]
    public void Argument_wins_over_the_environment() =>
        Assert.Equal("from-arg", ListenerOptions.Parse(["--url", "http://h", "--api-key", "from-arg"], _ => "from-env").Options?.ApiKey);

    [Theory]
    [InlineData("--url is required", "--api-key", "k")]
    [InlineData("An API key is required", "--url", "http://localhost:5080")]
    [InlineData("--url must be an http or https address", "--url", "localhost:5080", "--api-key", "k")]
    [InlineData("--url must be an http or https address", "--url", "ftp://h", "--api-key", "k")]
    [InlineData("--min-severity is info, warning or critical", "--url", "http://h", "--api-key", "k", "--min-severity", "1")]
    [InlineData("--min-severity is info, warning or critical", "--url", "http://h", "--api-key", "k", "--min-severity", "high")]
    [InlineData("--since needs a sequence number", "--url", "http://h", "--api-key", "k", "--since", "-5")]
    [InlineData("--region needs a value", "--url", "http://h", "--api-key", "k", "--region", "--json")]
    [InlineData("--site needs a value", "--url", "http://h", "--api-key", "k", "--site")]
    [InlineData("Unknown argument '--regions'", "--url", "http://h", "--api-key", "k", "--regions", "Anbar")]
    public void Invalid_arguments_are_named(string error, params string[] args) =>
        Assert.StartsWith(error, Invalid(args), StringComparison.Ordinal);

    [Fact]
    public void Help_is_asked_for_with_either_spelling()
    {
        Assert.True(ListenerOptions.Parse(["--help"], NoEnvironment).ShowHelp);
        Assert.True(ListenerOptions.Parse(["--url", "http://h", "-h"], NoEnvironment).ShowHelp);
    }

    [Fact]
    public void Subscription_sent_to_the_hub_names_severity_as_the_server_does()
    {
        var filter = AlertFilter.Of(Valid("--url", "http://h", "--api-key", "k", "--region", "Anbar", "--min-severity", "WARNING"));

        var json = System.Text.Json.JsonSerializer.Serialize(filter.ToSubscription());

        Assert.Equal("""{"regions":["Anbar"],"siteIds":[],"minSeverity":"warning","observations":false}""", json);
    }
}
