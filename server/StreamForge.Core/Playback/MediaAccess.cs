namespace StreamForge.Core.Playback;

/// <summary>
/// Who a private video's URLs are made for, in one request: the viewer the token names (null = anonymous, a share
/// link's holder), the API's own origin (the media route's base when no CDN is configured), and a time the token may
/// not outlive (a share link's expiry).
/// </summary>
public sealed record MediaAccess(Guid? Viewer, string ApiOrigin, DateTimeOffset? NotAfter = null);

/// <summary>The current request's <see cref="MediaAccess"/>; the worker has none, so private media gets no URLs there.</summary>
public interface IMediaAccessContext
{
    MediaAccess? Current { get; }
}
