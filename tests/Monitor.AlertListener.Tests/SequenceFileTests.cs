using Monitor.AlertListener;

namespace Monitor.AlertListener.Tests;

public sealed class SequenceFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"monitor-alerts-{Guid.NewGuid():N}.seq");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void No_file_means_no_sequence_yet() => Assert.Null(SequenceFile.Read(_path));

    [Fact]
    public void Written_sequence_is_read_back_and_replaced_whole()
    {
        SequenceFile.Write(_path, 41);
        SequenceFile.Write(_path, 1_234_567_890_123);

        Assert.Equal(1_234_567_890_123, SequenceFile.Read(_path));
        Assert.False(File.Exists(_path + ".tmp"));
    }

    [Fact]
    public void A_file_that_holds_something_else_is_an_error_naming_it()
    {
        File.WriteAllText(_path, "last: 12");

        var error = Assert.Throws<InvalidDataException>(() => SequenceFile.Read(_path));
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }
}
