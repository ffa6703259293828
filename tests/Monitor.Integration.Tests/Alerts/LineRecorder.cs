using System.Text;
using System.Text.Json;

namespace Monitor.Integration.Tests.Alerts;

/// <summary>What a listener writes, line by line, readable while it keeps writing.</summary>
internal sealed class LineRecorder : TextWriter
{
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return _lines.ToArray();
        }
    }

    /// <summary>The lines as JSON alerts (for a listener run with <c>--json</c>).</summary>
    public IReadOnlyList<JsonElement> Alerts => Lines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();

    public override void Write(char value)
    {
        lock (_lines)
        {
            if (value == '\n')
            {
                _lines.Add(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lines)
        {
            _partial.Append(value);
            Write('\n');
        }
    }

    public override string ToString() => string.Join('\n', Lines);
}
