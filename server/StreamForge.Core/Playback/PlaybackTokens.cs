using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StreamForge.Core.Playback;

/// <summary>
/// The playback token of private media: <c>{expiresUnix}.{viewer}.{sig}</c>, where viewer is the user id as 32 hex
/// digits or <c>0</c>, and sig is base64url (no padding) of MD5("{expires}:{videoId:D}:{version}:{viewer}:{secret}").
/// MD5 because that is what stock nginx <c>secure_link_md5</c> verifies, so the CDN checks the token with no extra
/// module; the secret at the end of the hashed string (never sent) is what makes the signature unforgeable.
/// </summary>
public static class PlaybackTokens
{
    public const string Anonymous = "0";

    public static string Create(Guid videoId, int version, Guid? viewer, DateTimeOffset expires, string secret)
    {
        var expiresUnix = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var viewerPart = viewer is { } v ? v.ToString("N") : Anonymous;
        return $"{expiresUnix}.{viewerPart}.{Signature(expiresUnix, videoId, version, viewerPart, secret)}";
    }

    /// <summary>Whether <paramref name="token"/> opens version <paramref name="version"/> of <paramref name="videoId"/> at <paramref name="now"/>.</summary>
    public static PlaybackTokenCheck Check(string? token, Guid videoId, int version, DateTimeOffset now, string secret)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return PlaybackTokenCheck.Malformed;
        var parts = token.Split('.');
        if (parts.Length != 3) return PlaybackTokenCheck.Malformed;
        var (expires, viewer, sig) = (parts[0], parts[1], parts[2]);
        if (expires.Length is 0 or > 12 || !expires.All(char.IsAsciiDigit) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix))
            return PlaybackTokenCheck.Malformed;
        if (viewer != Anonymous && (viewer.Length != 32 || !viewer.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c))))
            return PlaybackTokenCheck.Malformed;
        var expected = Signature(expires, videoId, version, viewer, secret);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sig), Encoding.ASCII.GetBytes(expected)))
            return PlaybackTokenCheck.BadSignature;
        // As nginx: valid up to and including the second it names.
        return now.ToUnixTimeSeconds() > expiresUnix ? PlaybackTokenCheck.Expired : PlaybackTokenCheck.Valid;
    }

    /// <summary>The viewer a well-formed token names (null for "0" or anything unreadable); says who, proves nothing by itself.</summary>
    public static Guid? Viewer(string token) =>
        token.Split('.') is [_, var viewer, _] && viewer != Anonymous && Guid.TryParseExact(viewer, "N", out var id) ? id : null;

    private static string Signature(string expires, Guid videoId, int version, string viewer, string secret)
    {
        var input = string.Create(CultureInfo.InvariantCulture, $"{expires}:{videoId:D}:{version}:{viewer}:{secret}");
        return Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(input))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

public enum PlaybackTokenCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
}
