using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Monitor.Domain.Observations;
using Monitor.Web.Observations.Ingest;

namespace Monitor.Web.Observations.Forms;

/// <summary>One form submission as it waits in the browser: its key, what was typed, and the warnings the reporter confirmed.</summary>
public sealed record PendingSubmission(
    string Key,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ObservationInput>? Observations = null,
    CorrectionInput? Correction = null,
    IReadOnlyList<string>? Confirmed = null)
{
    public int Count => Observations?.Count ?? 1;
}

/// <summary>
/// How the forms of one circuit submit: in-process through <see cref="ObservationIngest"/>, each submission under its
/// own key. The submission is written to the browser's storage first and removed once the server has answered, so one
/// the circuit lost on the way is sent again by the next circuit (<see cref="ResendStoredAsync"/>); the key makes that
/// second send a no-op when the first one had committed. A submission the store cannot take now (InfluxDB unreachable
/// for a correction, the write queue full) stays queued here and is retried until it goes through.
/// </summary>
public sealed partial class FormSubmissions(
    ObservationIngest ingest,
    AuthenticationStateProvider authentication,
    IJSRuntime js,
    TimeProvider time,
    ILogger<FormSubmissions> logger) : IAsyncDisposable
{
    public const string ModulePath = "./Components/Pages/Report/PendingSubmissions.razor.js";
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<PendingSubmission> _queued = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private IJSObjectReference? _module;
    private ITimer? _retry;

    /// <summary>Raised when a submission is queued or leaves the queue (from any thread).</summary>
    public event Action? Changed;

    /// <summary>Raised with the outcome of a queued submission that went through or was refused later.</summary>
    public event Action<PendingSubmission, Submission>? Resent;

    public IReadOnlyList<PendingSubmission> Queued
    {
        get { lock (_queued) return [.. _queued]; }
    }

    public PendingSubmission NewSubmission(IReadOnlyList<ObservationInput> observations, IReadOnlyList<string> confirmed) =>
        new(Guid.NewGuid().ToString("N"), time.GetUtcNow(), observations, null, confirmed);

    public PendingSubmission NewCorrection(CorrectionInput correction) =>
        new(Guid.NewGuid().ToString("N"), time.GetUtcNow(), null, correction);

    /// <summary>Submits now; null when the store cannot take it yet and it is queued (kept in the browser and retried).</summary>
    public async Task<Submission?> SubmitAsync(PendingSubmission submission)
    {
        await StoreAsync(submission);
        var outcome = await SendAsync(submission);
        if (outcome is null)
        {
            lock (_queued) _queued.Add(submission);
            _retry ??= time.CreateTimer(_ => _ = RetryAsync(), null, RetryInterval, RetryInterval);
            Changed?.Invoke();
        }
        return outcome;
    }

    /// <summary>Sends what an earlier circuit left in this browser's storage; each goes at most once, by its key.</summary>
    public async Task ResendStoredAsync()
    {
        foreach (var stored in await LoadStoredAsync())
        {
            if (Queued.Any(q => q.Key == stored.Key)) continue;
            lock (_queued) _queued.Add(stored);
        }
        if (Queued.Count == 0) return;
        Changed?.Invoke();
        await RetryAsync();
    }

    private async Task RetryAsync()
    {
        if (!await _sending.WaitAsync(0)) return;
        try
        {
            foreach (var submission in Queued)
            {
                if (await SendAsync(submission) is not { } outcome) continue;
                lock (_queued) _queued.Remove(submission);
                Resent?.Invoke(submission, outcome);
            }
            if (Queued.Count == 0 && _retry is not null)
            {
                await _retry.DisposeAsync();
                _retry = null;
            }
        }
        finally
        {
            _sending.Release();
        }
        Changed?.Invoke();
    }

    /// <summary>The answer of the pipeline, or null when the store cannot take the submission now.</summary>
    private async Task<Submission?> SendAsync(PendingSubmission submission)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var submitter = new Submitter(user, "form") { SubmissionKey = submission.Key, Confirmed = submission.Confirmed ?? [] };
        Submission outcome;
        try
        {
            outcome = submission.Correction is { } correction
                ? await ingest.CorrectAsync(correction, submitter, CancellationToken.None)
                : await ingest.SubmitAsync(submission.Observations, submitter, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObservationStoreUnavailableException or BacklogFullException)
        {
            LogQueued(submission.Key, ex.Message);
            return null;
        }
        await ForgetAsync(submission.Key);
        return outcome;
    }

    /// <summary>
    /// Keeps what is typed into the form (found by <paramref name="selector"/>) in the browser under <paramref name="draft"/>,
    /// and puts back what an earlier page typed there and did not send.
    /// </summary>
    public async Task KeepDraftAsync(string selector, string draft) =>
        await InvokeAsync((module, name) => module.InvokeAsync<int>("keepDraft", selector, DraftName(name, draft)).AsTask());

    /// <summary>
    /// A submit of the form reached the server: a mark the browser set when it held the submit back (it was not
    /// connected) is cleared, so the submit is not made again.
    /// </summary>
    public async Task SubmitReachedAsync(string draft) =>
        await InvokeAsync((module, name) => module.InvokeVoidAsync("submitReached", DraftName(name, draft)).AsTask());

    /// <summary>Forgets a form's draft once what it held has been sent.</summary>
    public async Task ClearDraftAsync(string draft) =>
        await InvokeAsync((module, name) => module.InvokeVoidAsync("clearDraft", DraftName(name, draft)).AsTask());

    private static string DraftName(string pending, string draft) => pending.Replace(".pending.", ".draft.", StringComparison.Ordinal) + "." + draft;

    private async Task StoreAsync(PendingSubmission submission) =>
        await InvokeAsync((module, name) => module.InvokeVoidAsync("put", name, submission.Key, JsonSerializer.Serialize(submission, Json)).AsTask());

    private async Task ForgetAsync(string key) => await InvokeAsync((module, name) => module.InvokeVoidAsync("remove", name, key).AsTask());

    private async Task<IReadOnlyList<PendingSubmission>> LoadStoredAsync()
    {
        string[] stored = [];
        await InvokeAsync(async (module, name) => stored = await module.InvokeAsync<string[]?>("all", name) ?? []);
        var submissions = new List<PendingSubmission>(stored.Length);
        foreach (var json in stored)
        {
            try
            {
                if (JsonSerializer.Deserialize<PendingSubmission>(json, Json) is { Key.Length: > 0 } submission) submissions.Add(submission);
            }
            catch (JsonException)
            {
                // Storage a user or an older version left malformed: nothing to send.
            }
        }
        return submissions;
    }

    /// <summary>
    /// Browser storage is a safety net, not the path: when the browser cannot be reached (the circuit is going, or the
    /// page is prerendering) the submission still goes to the pipeline.
    /// </summary>
    /// <remarks>The storage is per user: another account signing in on the same phone must not send someone else's readings as its own.</remarks>
    private async Task InvokeAsync(Func<IJSObjectReference, string, Task> call)
    {
        try
        {
            var user = (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "";
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            await call(_module, "monitor.pending." + user);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            LogBrowserStorageUnavailable(ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_retry is not null) await _retry.DisposeAsync();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Form submission {Key} is queued: {Reason}")]
    private partial void LogQueued(string key, string reason);

    [LoggerMessage(LogLevel.Debug, "The browser's storage could not be reached: {Reason}")]
    private partial void LogBrowserStorageUnavailable(string reason);
}
