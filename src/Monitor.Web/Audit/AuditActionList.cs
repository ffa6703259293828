using System.Reflection;

namespace Monitor.Web.Audit;

/// <summary>Every action name declared in <see cref="AuditActions"/>, so filters offer (and accept) exactly those.</summary>
public static class AuditActionList
{
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToArray();
}
