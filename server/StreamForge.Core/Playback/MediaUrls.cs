using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Storage;

namespace StreamForge.Core.Playback;

/// <summary>
/// Builds the URLs of a video's processed media. Public media: through the CDN when configured, else the bucket.
/// Private media: <c>{base}/p/{token}/private/{id}/v{n}/{rel}</c> with base = the CDN, else the API's media route,
/// and a fresh playback token per request; the relative URLs inside the manifests then inherit the token.
/// </summary>
public sealed class MediaUrls(IOptions<PlaybackOptions> playback, IOptions<StorageOptions> storage, TimeProvider clock)
{
    public const string MediaRoute = "/api/v1/media";

    private string? Cdn => string.IsNullOrWhiteSpace(playback.Value.CdnUrl) ? null : playback.Value.CdnUrl.TrimEnd('/');

    private string BaseUrl => Cdn ?? storage.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>A public media URL (media/…).</summary>
    public string For(Guid videoId, int version, string relativePath) => $"{BaseUrl}/{StorageKeys.Media(videoId, version, relativePath)}";

    /// <summary>
    /// The URL the worker stores for media at its current location. For private media it carries no token and is never
    /// handed out as is: <see cref="Rewrite"/> signs it per request.
    /// </summary>
    public string Stored(Guid videoId, int version, string relativePath, bool mediaPrivate) =>
        $"{BaseUrl}/{StorageKeys.Media(videoId, version, relativePath, mediaPrivate)}";

    /// <summary>A signed URL of private media, or null when no secret is configured.</summary>
    public string? ForPrivate(Guid videoId, int version, string relativePath, MediaAccess access)
    {
        var secret = playback.Value.TokenSecret;
        if (string.IsNullOrEmpty(secret)) return null;
        var token = PlaybackTokens.Create(videoId, version, access.Viewer, Expiry(access), secret);
        var baseUrl = Cdn ?? access.ApiOrigin.TrimEnd('/') + MediaRoute;
        return $"{baseUrl}/p/{token}/{StorageKeys.Media(videoId, version, relativePath, mediaPrivate: true)}";
    }

    /// <summary>When a token made now expires: the configured lifetime, never past what the access allows.</summary>
    public DateTimeOffset Expiry(MediaAccess access)
    {
        var expires = clock.GetUtcNow().AddMinutes(Math.Max(1, playback.Value.TokenLifetimeMinutes));
        return access.NotAfter is { } cap && cap < expires ? cap : expires;
    }

    /// <summary>
    /// A stored media URL as this caller may use it: public media unchanged; private media signed for
    /// <paramref name="access"/>, or null without one (nobody is handed a URL that cannot play).
    /// </summary>
    public string? Rewrite(Video video, string? stored, MediaAccess? access)
    {
        if (stored is null || !video.MediaPrivate) return stored;
        if (access is null || video.MediaVersion < 1 || Relative(stored, video.Id, video.MediaVersion) is not { } relative) return null;
        return ForPrivate(video.Id, video.MediaVersion, relative, access);
    }

    /// <summary>A media URL of the video's current location, for the caller: relative path → public or signed URL.</summary>
    public string? Current(Video video, string relativePath, MediaAccess? access) =>
        video.MediaVersion < 1 ? null
        : !video.MediaPrivate ? For(video.Id, video.MediaVersion, relativePath)
        : access is null ? null
        : ForPrivate(video.Id, video.MediaVersion, relativePath, access);

    /// <summary>
    /// A stored URL as a caller may use it when only the URL is at hand (an event): a URL of private media
    /// ("…/private/{id}/v{n}/…") signed for <paramref name="access"/>, anything else unchanged.
    /// </summary>
    public string? SignStored(string? stored, Guid videoId, MediaAccess access)
    {
        if (stored is null) return null;
        var marker = $"/{StorageKeys.PrivateMediaRoot}{videoId:D}/v";
        var at = stored.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return stored;
        var rest = stored[(at + marker.Length)..];
        var slash = rest.IndexOf('/');
        return slash > 0 && int.TryParse(rest[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? ForPrivate(videoId, version, rest[(slash + 1)..], access)
            : null;
    }

    /// <summary>The part of a stored media URL after "{id}/v{n}/" (whichever location it names), or null.</summary>
    public static string? Relative(string url, Guid videoId, int version)
    {
        var marker = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{videoId:D}/v{version}/");
        var at = url.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : url[(at + marker.Length)..];
    }
}
