using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace StreamForge.Api.Keys;

/// <summary>The format of an API key: <c>sk_</c> and 32 random bytes in base64url (43 characters).</summary>
public static class ApiKeySecret
{
    public const string Marker = "sk_";
    public const int Length = 3 + 43;
    /// <summary>What lists show: enough to tell keys apart, far too little to guess the rest.</summary>
    public const int PrefixLength = 11;

    public static string New() => Marker + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Prefix(string key) => key[..PrefixLength];

    /// <summary>
    /// A plain SHA-256 and no salt or slow KDF: a key carries 256 random bits, so there is nothing for a dictionary or
    /// brute force to work with, and a fast, deterministic hash lets every request find its key by an index lookup.
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Shape only (no lookup): anything else is refused before the database is asked.</summary>
    public static bool IsWellFormed(string key) =>
        key.Length == Length && key.StartsWith(Marker, StringComparison.Ordinal)
        && key.AsSpan(Marker.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}
