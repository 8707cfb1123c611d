using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace StreamForge.Api.Infrastructure;

/// <summary>
/// The secrets we hand out once and keep only as a hash (refresh tokens, API keys, upload links): a prefix naming
/// their kind and 32 random bytes in base64url (43 characters).
/// </summary>
public static class RandomSecret
{
    public const int EncodedLength = 43;

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string New(string prefix = "") => prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A plain SHA-256, no salt or slow KDF: each secret carries 256 random bits, so there is nothing for a dictionary
    /// or brute force to work with, and a fast, deterministic hash lets a request find its row by an index lookup.
    /// </summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Shape only (no lookup): anything else is refused before the database is asked.</summary>
    public static bool IsWellFormed(string value, string prefix) =>
        value.Length == prefix.Length + EncodedLength && value.StartsWith(prefix, StringComparison.Ordinal)
        && value.AsSpan(prefix.Length).IndexOfAnyExcept(Base64UrlAlphabet) < 0;
}
