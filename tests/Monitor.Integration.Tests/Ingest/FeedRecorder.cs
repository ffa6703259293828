using System.Globalization;
using Monitor.Web.Observations.Feed;

namespace Monitor.Integration.Tests.Ingest;

/// <summary>
/// A feed subscriber that keeps every message it receives, in the order received, and lets a test wait until they
/// satisfy a condition. Optionally holds its pump inside the handler (a slow subscriber) until <see cref="Release"/>.
/// </summary>
internal sealed class FeedRecorder
{
    /// <summary>Only how long a failing test waits before it says so; passing tests never wait this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<FeedMessage> _messages = [];
    private readonly List<(Func<IReadOnlyList<FeedMessage>, bool> Condition, TaskCompletionSource Met)> _waiters = [];
    private readonly Func<FeedMessage, bool> _holdOn;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="holdOn">Messages on which the handler waits for <see cref="Release"/> before it returns.</param>
    public FeedRecorder(Func<FeedMessage, bool>? holdOn = null)
    {
        _holdOn = holdOn ?? (_ => false);
    }

    public IReadOnlyList<FeedMessage> Messages
    {
        get
        {
            lock (_gate) return _messages.ToArray();
        }
    }

    /// <summary>The batches received, as sequence → observations.</summary>
    public IReadOnlyList<FeedBatch> Batches => Messages.OfType<FeedBatch>().ToArray();

    /// <summary>Completes when the handler first holds the pump.</summary>
    public Task Held => _held.Task;

    public bool IsReleased => _released.Task.IsCompleted;

    public void Release() => _released.TrySetResult();

    public async Task ReceiveAsync(FeedMessage message)
    {
        Record(message);
        if (_holdOn(message))
        {
            _held.TrySetResult();
            await _released.Task;
        }
    }

    public void Record(FeedMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            foreach (var waiter in _waiters.Where(w => w.Condition(_messages)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Met.TrySetResult();
            }
        }
    }

    /// <summary>Waits until the messages received satisfy <paramref name="condition"/>; returns them.</summary>
    public async Task<IReadOnlyList<FeedMessage>> WaitUntilAsync(Func<IReadOnlyList<FeedMessage>, bool> condition, string what)
    {
        TaskCompletionSource met;
        lock (_gate)
        {
            if (condition(_messages)) return _messages.ToArray();
            met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, met));
        }
        try
        {
            await met.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}; received {Describe(Messages)}.");
        }
        return Messages;
    }

    /// <summary>Waits until a message at or past <paramref name="sequence"/> has arrived.</summary>
    public Task<IReadOnlyList<FeedMessage>> WaitForSequenceAsync(long sequence) =>
        WaitUntilAsync(messages => messages.Any(m => m.Sequence >= sequence), $"sequence {sequence}");

    /// <summary>A batch as <c>B12</c>, a resync as <c>R12</c>: what assertions compare and failure messages show.</summary>
    public static string Label(FeedMessage message) =>
        (message is FeedBatch ? "B" : "R") + message.Sequence.ToString(CultureInfo.InvariantCulture);

    public static string Describe(IEnumerable<FeedMessage> messages) => string.Join(" ", messages.Select(Label));
}
