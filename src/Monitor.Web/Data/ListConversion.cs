using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Monitor.Web.Data;

/// <summary>Stores a short list (names, times) as a JSON array column.</summary>
internal static class ListConversion<T>
{
    public static readonly ValueConverter<List<T>, string> Converter = new(
        list => JsonSerializer.Serialize(list, JsonSerializerOptions.Default),
        json => JsonSerializer.Deserialize<List<T>>(json, JsonSerializerOptions.Default) ?? new List<T>());

    public static readonly ValueComparer<List<T>> Comparer = new(
        (a, b) => (a ?? new List<T>()).SequenceEqual(b ?? new List<T>()),
        list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        list => list.ToList());
}
