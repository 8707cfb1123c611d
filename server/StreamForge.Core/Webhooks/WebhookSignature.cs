using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StreamForge.Core.Webhooks;

/// <summary>
/// The signature every delivery carries: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>. Signing
/// the timestamp with the body lets a receiver refuse replays of an old delivery.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "StreamForge-Signature";
    public const string DeliveryHeader = "StreamForge-Delivery";
    public const string EventHeader = "StreamForge-Event";
    public const string UserAgent = "StreamForge-Webhooks/1";
    public const string SecretPrefix = "whsec_";

    /// <summary>A new endpoint secret: 32 random bytes, hex, after <see cref="SecretPrefix"/>.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}");

    /// <summary>What a receiver does (and docs/api.md shows): constant-time compare, and refuse timestamps outside <paramref name="tolerance"/>.</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (kv[0] == "v1") candidates.Add(kv[1]);
        }
        if (timestamp is not { } ts || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds) return false;
        var expected = Mac(secret, ts, body);
        foreach (var candidate in candidates)
        {
            byte[] given;
            try { given = Convert.FromHexString(candidate); }
            catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return true;
        }
        return false;
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
