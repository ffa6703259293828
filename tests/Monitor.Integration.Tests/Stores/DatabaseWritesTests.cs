using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Data;

namespace Monitor.Integration.Tests.Stores;

/// <summary>The frequent writers of monitor.db take turns in memory instead of meeting in SQLite's sleeping busy handler.</summary>
public sealed class DatabaseWritesTests
{
    [Fact]
    public async Task A_writer_waits_for_the_one_before_to_end_its_turn_and_starts_as_soon_as_it_does()
    {
        using var app = new MonitorAppFactory();
        var writes = app.Services.GetRequiredService<DatabaseWrites>();

        var first = await writes.EnterAsync();
        var second = writes.EnterAsync();
        Assert.False(second.IsCompleted);

        first.Dispose();
        first.Dispose(); // ending a turn twice frees one turn, not two
        using var turn = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(writes.EnterAsync().IsCompleted);
    }
}
