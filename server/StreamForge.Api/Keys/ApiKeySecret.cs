using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Keys;

/// <summary>The format of an API key: <c>sk_</c> and a <see cref="RandomSecret"/> (46 characters in all).</summary>
public static class ApiKeySecret
{
    public const string Marker = "sk_";
    public const int Length = 3 + RandomSecret.EncodedLength;
    /// <summary>What lists show: enough to tell keys apart, far too little to guess the rest.</summary>
    public const int PrefixLength = 11;

    public static string New() => RandomSecret.New(Marker);

    public static string Prefix(string key) => key[..PrefixLength];

    public static string Hash(string key) => RandomSecret.Hash(key);

    public static bool IsWellFormed(string key) => RandomSecret.IsWellFormed(key, Marker);
}
