using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace StreamForge.Api.DirectUploads;

/// <summary>The upload link's secret: "du_" + 32 random bytes (base64url); only its SHA-256 is stored.</summary>
public static class DirectUploadToken
{
    public const string Prefix = "du_";

    public static string New() => Prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check before any lookup: prefix plus 43 base64url characters.</summary>
    public static bool LooksValid(string token) =>
        token.Length == Prefix.Length + 43 && token.StartsWith(Prefix, StringComparison.Ordinal)
        && token.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}
