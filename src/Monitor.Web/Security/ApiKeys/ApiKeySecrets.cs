using System.Security.Cryptography;
using System.Text;

namespace Monitor.Web.Security.ApiKeys;

/// <summary>The shape of the keys the app issues: <c>mon_</c> and 40 random base62 characters (about 238 bits).</summary>
public static class ApiKeySecrets
{
    public const string Marker = "mon_";
    public const int RandomLength = 40;
    public const int PrefixLength = 8;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate() => Marker + RandomNumberGenerator.GetString(Base62, RandomLength);

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string Prefix(string secret) => secret[..PrefixLength];

    /// <summary>Only keys of the issued shape are looked up in the database; anything else is refused without a query.</summary>
    public static bool IsIssuedShape(string presented) =>
        presented.Length == Marker.Length + RandomLength
        && presented.StartsWith(Marker, StringComparison.Ordinal)
        && presented.AsSpan(Marker.Length).IndexOfAnyExcept(Base62) < 0;
}
