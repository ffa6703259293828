using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.TestServers;

namespace Monitor.Bench;

/// <summary>
/// <c>--scenario alerts</c>: the time from an observation's POST to <c>AlertChanged</c> at every one of N connected
/// SignalR clients (WebSockets, each subscribed to every region, as the alert listener subscribes), while observations
/// arrive at a steady rate and a fraction of them flips a site's rule. The app runs as its own process on the embedded
/// store; one rule covers every site.
/// </summary>
public static class AlertLatency
{
    private const string Indicator = "fuel.stations_open_pct";
    private const string ApiKey = "bench-alerts-key-0123456789abcdef";
    private const int Regions = 10;

    public static bool IsRequested(string[] args) => BenchOptions.Scenario(args) is "alerts" or "fanout";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = AlertLatencyOptions.Parse(args);
        var work = Directory.CreateTempSubdirectory("monitor-bench-alerts-").FullName;
        try
        {
            var siteIds = WriteSeed(Path.Combine(work, "seed"), options.Sites);
            var settings = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "Embedded",
                ["Monitor__DataDirectory"] = Path.Combine(work, "data"),
                ["Monitor__SeedDirectory"] = Path.Combine(work, "seed"),
                ["Monitor__DashboardsDirectory"] = Path.Combine(work, "no-dashboards"),
                ["Auth__ApiKeys__0__Name"] = "bench",
                ["Auth__ApiKeys__0__Key"] = ApiKey,
                ["Auth__ApiKeys__0__Role"] = "Coordinator",
                ["RateLimits__Observations__TokenLimit"] = "1000000",
                ["RateLimits__Observations__TokensPerPeriod"] = "1000000",
                // Every site flips many times a minute here; flapping detection would rightly turn that into one notification.
                ["Alerts__FlappingLimit"] = "1000000",
            };
            Console.WriteLine($"Alert latency: {options.Connections:N0} clients, {options.Rate} observations/s for {options.Seconds} s " +
                $"(after {options.WarmupSeconds} s unmeasured), {options.FlipFraction:P0} of them flipping one of {options.Sites} sites' rule.");
            await using var app = await AppProcess.StartAsync(AppProcess.BesideThisAssembly(), settings, AppProcess.Serving);
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(60),
            };
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            using (var rule = await http.PostAsJsonAsync("/api/rules", new
            {
                name = "Fuel stations below 30 %", indicatorId = Indicator, @operator = "below", threshold = 30, severity = "critical",
            }))
            {
                if (rule.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"The rule was refused: {await rule.Content.ReadAsStringAsync()}");
            }

            var run = new Run(options.Connections, options.HubClients);
            var clients = await ConnectAsync(app.Url, run, options);
            Console.WriteLine($"  {clients.Count:N0} clients connected and subscribed ({options.HubClients:N0} of them HubConnections).");
            var load = LoadAverage();
            var cpu = CpuMeter.Start(new Dictionary<string, int> { ["app"] = app.Id, ["benchmark"] = Environment.ProcessId });
            List<double> answers;
            try
            {
                answers = await PostAsync(http, run, siteIds, options);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                Console.Error.WriteLine($"The load failed ({ex.Message}); the app {(app.HasExited ? "has exited" : "still runs")}. Its last output:\n{app.Output}");
                throw;
            }
            await run.SettledAsync(TimeSpan.FromSeconds(10));
            var used = cpu?.Stop();
            var result = run.Summarize(answers, options, used, load, LoadAverage());
            foreach (var client in clients) await client.DisposeAsync();

            Console.WriteLine(result.Markdown);
            await PerformancePage.WriteSectionAsync(options.Heading, result.Markdown);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }


    private static string[] WriteSeed(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        var siteIds = Enumerable.Range(1, count).Select(i => $"alert-city-{i:D3}").ToArray();
        var sites = siteIds.Select((id, i) => new
        {
            id, name = $"Alert city {i + 1}", kind = "city", region = $"Region {i % Regions + 1}", country = "Benchland",
            latitude = 30 + i * 0.01, longitude = 40 + i * 0.01,
        });
        File.WriteAllText(Path.Combine(directory, "sites.json"), JsonSerializer.Serialize(sites, Scenario.Json));
        var indicators = new[]
        {
            new { id = Indicator, name = "Fuel stations open", kind = "numeric", unit = "%", min = 0.0, max = 100.0, states = Array.Empty<string>(), siteKinds = new[] { "city" }, cadence = "1.00:00:00" },
        };
        File.WriteAllText(Path.Combine(directory, "indicators.json"), JsonSerializer.Serialize(indicators, Scenario.Json));
        File.WriteAllText(Path.Combine(directory, "observations.csv"), "siteId,indicatorId,timestamp,value,state,source,note\n");
        return siteIds;
    }

    /// <summary>
    /// Connects the clients: the first <see cref="AlertLatencyOptions.HubClients"/> as .NET <c>HubConnection</c>s, the rest
    /// as <see cref="WireHubClient"/>s, which cost the benchmark's process far less CPU per message on the shared cores.
    /// </summary>
    private static async Task<List<IAsyncDisposable>> ConnectAsync(Uri server, Run run, AlertLatencyOptions options)
    {
        // Alert listeners: every region, alerts only (observations: false), as the alert listener tool subscribes.
        var subscription = new { regions = Enumerable.Range(1, Regions).Select(r => $"Region {r}").ToArray(), observations = false };
        var hub = new Uri(server, "hubs/alerts");
        var connections = new IAsyncDisposable[options.Connections];
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                connections[i] = i < options.HubClients
                    ? await ConnectHubConnectionAsync(hub, subscription, change => run.Received(i, change.SiteId, change.Value))
                    : await WireHubClient.ConnectAsync(hub, ApiKey, subscription, (siteId, value) => run.Received(i, siteId, value));
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. connections];
    }

    private static async Task<HubConnection> ConnectHubConnectionAsync(Uri hub, object subscription, Action<Change> received)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers["X-Api-Key"] = ApiKey;
            })
            .Build();
        connection.On("AlertChanged", received);
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", subscription);
        return connection;
    }

    /// <summary>
    /// Posts one observation per request at the steady rate, the sites in turn. Every <c>1/fraction</c>-th observation of a
    /// site (staggered between sites) flips it: a value below
    /// 30 raises the alert, above clears it; the value is unique per site and flip, so the change it causes can be
    /// told apart at the clients. The others repeat their site's side of the threshold and change nothing.
    /// </summary>
    private static async Task<List<double>> PostAsync(HttpClient http, Run run, string[] siteIds, AlertLatencyOptions options)
    {
        var breaching = new bool[siteIds.Length];
        var flips = new int[siteIds.Length];
        var posts = new int[siteIds.Length];
        var every = Math.Max(1, (int)Math.Round(1 / options.FlipFraction));
        var total = options.Rate * (options.WarmupSeconds + options.Seconds);
        var measuredFrom = options.Rate * options.WarmupSeconds;
        var answers = new ConcurrentBag<double>();
        var pending = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / options.Rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);

            var site = n % siteIds.Length;
            var flip = (posts[site]++ + site) % every == every - 1;
            if (flip) breaching[site] = !breaching[site];
            var value = flip
                ? (breaching[site] ? 20 : 80) - (flips[site]++ % 1000) / 100.0
                : breaching[site] ? 25 : 60;
            var body = JsonSerializer.SerializeToUtf8Bytes(new[] { new { siteId = siteIds[site], indicatorId = Indicator, value, timestamp = DateTimeOffset.UtcNow } });
            var measured = n >= measuredFrom;
            pending.Add(Task.Run(async () =>
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                var sent = Stopwatch.GetTimestamp();
                if (flip) run.Sent(siteIds[site], value, sent, measured);
                try
                {
                    using var response = await http.PostAsync("/api/observations", content);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                        throw new HttpRequestException($"POST /api/observations answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    if (measured) answers.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // A run where the app cannot keep up is reported as such, not abandoned.
                    if (Interlocked.Increment(ref run.FailedPosts) == 1) Console.Error.WriteLine($"  A POST failed: {ex.Message}");
                }
            }));
        }
        await Task.WhenAll(pending);
        return [.. answers];
    }

    private static double[] LoadAverage() => File.Exists("/proc/loadavg")
        ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
        : [];

    /// <summary>The part of <c>AlertChanged</c> the benchmark reads.</summary>
    private sealed record Change(Guid Id, long Sequence, string SiteId, string Status, double? Value);

    /// <summary>Send and receive times of every flip, per client.</summary>
    private sealed class Run(int clients, int hubClients)
    {
        private readonly ConcurrentDictionary<(string SiteId, long Centi), Flip> _flips = new();

        /// <summary>POSTs not answered 202 (or not at all within the client's timeout).</summary>
        public int FailedPosts;

        public void Sent(string siteId, double value, long at, bool measured) =>
            _flips[(siteId, Centi(value))] = new Flip(at, measured, clients);

        public void Received(int client, string siteId, double? changed)
        {
            var now = Stopwatch.GetTimestamp();
            if (changed is not { } value || !_flips.TryGetValue((siteId, Centi(value)), out var flip)) return;
            if (Interlocked.CompareExchange(ref flip.ReceivedAt[client], now, 0) == 0) Interlocked.Increment(ref flip.Receipts);
        }

        /// <summary>Waits until every client has every change, or the patience runs out (missing receipts are reported).</summary>
        public async Task SettledAsync(TimeSpan patience)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < patience && _flips.Values.Any(f => Volatile.Read(ref f.Receipts) < clients)) await Task.Delay(50);
        }

        public Result Summarize(List<double> answers, AlertLatencyOptions options, CpuUse? cpu, double[] loadBefore, double[] loadAfter)
        {
            var measured = _flips.Values.Where(f => f.Measured).ToArray();
            var latencies = new List<double>(measured.Length * clients);
            var hubLatencies = new List<double>(measured.Length * hubClients);
            var first = new List<double>();
            var fanOut = new List<double>();
            var missing = 0L;
            foreach (var flip in measured)
            {
                var received = flip.ReceivedAt.Where(t => t != 0).ToArray();
                missing += clients - received.Length;
                if (received.Length == 0) continue;
                latencies.AddRange(received.Select(t => Ms(t - flip.SentAt)));
                hubLatencies.AddRange(flip.ReceivedAt.Take(hubClients).Where(t => t != 0).Select(t => Ms(t - flip.SentAt)));
                first.Add(Ms(received.Min() - flip.SentAt));
                fanOut.Add(Ms(received.Max() - received.Min()));
            }
            return new Result(Markdown(options, measured.Length, latencies, hubLatencies, first, fanOut, answers, missing, cpu, loadBefore, loadAfter));
        }

        private string Markdown(
            AlertLatencyOptions options, int changes, List<double> latencies, List<double> hubLatencies, List<double> first, List<double> fanOut, List<double> answers,
            long missing, CpuUse? cpu, double[] loadBefore, double[] loadAfter)
        {
            var p99 = Report.Percentile(latencies, 99);
            var text = new StringBuilder();
            text.AppendLine(options.Heading).AppendLine();
            if (options.FanOut)
            {
                text.AppendLine(Invariant($"SPEC's fan-out bar: {clients:N0} WebSocket clients held, one alert reaching all of them with p99 ≤ 1 s. The same benchmark as"));
                text.AppendLine("\"Alert latency\" with many more clients and one change a second by default, each of which reaches every client and is measured");
                text.AppendLine("on its own rather than queued behind the one before.").AppendLine();
            }
            text.AppendLine(Invariant($"Measured by `{BenchOptions.Command} -- {options.ToArguments()}`): the app as its own process on the embedded store, one rule"));
            text.AppendLine(Invariant($"(\"below 30 %\", critical) over {options.Sites} sites in {Regions} regions, and {clients:N0} SignalR clients in the benchmark's process, each on its own"));
            text.AppendLine("WebSocket and subscribed to every region, alerts only (the filtered path a listener takes). " +
                Invariant($"{hubClients:N0} of them are .NET `HubConnection`s, the others a lean client speaking the same JSON hub protocol (`WireHubClient`), which takes far"));
            text.AppendLine("less of the two cores the app shares with them. Observations are posted one per request at a");
            text.AppendLine(Invariant($"steady {options.Rate}/s; one in {Math.Round(1 / options.FlipFraction):0} flips its site's rule (half raise an alert, half resolve one), so each flip is one"));
            text.AppendLine("`AlertChanged` to every client. Latency runs from just before the POST is sent to the moment a client's handler");
            text.AppendLine(Invariant($"receives the change; fan-out is the spread between the first and the last client receiving the same change. The first {options.WarmupSeconds} s are not measured."));
            text.AppendLine("Each client subscribes with `observations: false`, as the alert listener does: it receives alerts, not the observations themselves.");
            text.AppendLine();
            text.AppendLine("| measure | changes (posts) | samples | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            text.AppendLine(Row("POST → `AlertChanged`, every client", changes, latencies));
            if (hubClients > 0) text.AppendLine(Row(Invariant($"POST → `AlertChanged`, the {hubClients:N0} `HubConnection` clients"), changes, hubLatencies));
            text.AppendLine(Row("POST → `AlertChanged`, first client", changes, first));
            text.AppendLine(Row("fan-out (first → last client)", changes, fanOut));
            text.AppendLine(Row("POST answered 202", options.Rate * options.Seconds, answers));
            text.AppendLine();
            var bar = options.FanOut ? 1_000 : 50;
            text.AppendLine(Invariant($"- p99 POST → `AlertChanged` at every client: **{p99:F1} ms**; the bar is ≤ {bar:N0} ms on loopback — **{(p99 <= bar ? "met" : "not met")}**."));
            text.AppendLine(Invariant($"- Receipts missing after a 10 s grace: {missing:N0} of {(long)changes * clients:N0}; POSTs not answered 202: {FailedPosts:N0}."));
            if (cpu is not null)
            {
                var wall = options.WarmupSeconds + options.Seconds;
                text.AppendLine(Invariant($"- CPU during the {wall} s of load ({Environment.ProcessorCount} cores): app {cpu.Of("app").TotalSeconds:F1} s, benchmark (clients and poster) {cpu.Of("benchmark").TotalSeconds:F1} s, other processes {cpu.Others.TotalSeconds:F1} s."));
            }
            if (loadBefore.Length == 3 && loadAfter.Length == 3)
                text.AppendLine(Invariant($"- Load average (1, 5, 15 min) before: {loadBefore[0]:F1}, {loadBefore[1]:F1}, {loadBefore[2]:F1}; after: {loadAfter[0]:F1}, {loadAfter[1]:F1}, {loadAfter[2]:F1}."));
            text.AppendLine(Invariant($"- Machine: {Machine()}; {RuntimeInformation.FrameworkDescription}; {DateTime.UtcNow:yyyy-MM-dd}."));
            return text.ToString();
        }

        private static string Row(string what, int changes, List<double> values) => values.Count == 0
            ? $"| {what} | {changes:N0} | 0 | — | — | — | — |"
            : Invariant($"| {what} | {changes:N0} | {values.Count:N0} | {Report.Percentile(values, 50):F1} | {Report.Percentile(values, 95):F1} | {Report.Percentile(values, 99):F1} | {values.Max():F1} |");

        private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

        private static long Centi(double value) => (long)Math.Round(value * 100);
    }

    private sealed class Flip(long sentAt, bool measured, int clients)
    {
        public long SentAt { get; } = sentAt;
        public bool Measured { get; } = measured;
        public readonly long[] ReceivedAt = new long[clients];
        public int Receipts;
    }

    private sealed record Result(string Markdown);

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The options of <c>--scenario alerts</c> (1,000 clients, 200 observations/s) and <c>--scenario fanout</c> (10,000
/// clients, one change a second, each reaching all); every one has a default.
/// </summary>
/// <param name="FlipFraction">The share of observations that flips its site's rule (each flip is one alert change).</param>
/// <param name="HubClients">How many of the clients are .NET <c>HubConnection</c>s; the rest are <see cref="WireHubClient"/>s.</param>
public sealed record AlertLatencyOptions(bool FanOut, int Connections, int HubClients, int Rate, double FlipFraction, int Seconds, int WarmupSeconds, int Sites)
{
    public string Heading => FanOut ? "## Fan-out" : "## Alert latency";

    public static AlertLatencyOptions Parse(string[] args)
    {
        string? Text(string name)
        {
            var at = Array.IndexOf(args, "--" + name);
            if (at < 0) return null;
            return at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"--{name} needs a value.");
        }
        int Whole(string name, int fallback) => Text(name) is not { } text ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
            : throw new ArgumentException($"--{name} needs a positive whole number.");
        var fanOut = Text("scenario") == "fanout";
        var fraction = Text("flip-fraction") is not { } f ? (fanOut ? 1 : 0.1)
            : double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is > 0 and <= 1 ? v
            : throw new ArgumentException("--flip-fraction lies in (0, 1].");
        var connections = Whole("connections", fanOut ? 10_000 : 1_000);
        var hubClients = Text("hub-clients") is not { } h ? Math.Min(10, connections)
            : int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= connections ? n
            : throw new ArgumentException("--hub-clients needs a whole number no larger than --connections.");
        return new AlertLatencyOptions(fanOut, connections, hubClients, Whole("rate", fanOut ? 1 : 200), fraction,
            Whole("seconds", 30), Whole("warmup-seconds", 30), Whole("sites", 100));
    }

    public string ToArguments() => string.Create(CultureInfo.InvariantCulture,
        $"--scenario {(FanOut ? "fanout" : "alerts")} --connections {Connections} --hub-clients {HubClients} --rate {Rate} --flip-fraction {FlipFraction} --seconds {Seconds} --warmup-seconds {WarmupSeconds} --sites {Sites}");
}
