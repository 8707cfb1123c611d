using StreamForge.Core.Videos;

namespace StreamForge.Api.Watch;

/// <summary>
/// A video as a viewer sees it: no owner-only fields. For private media the URLs carry a playback token (valid for
/// Playback:TokenLifetimeMinutes, never past a share link's expiry); relative URLs inside the manifests inherit it.
/// </summary>
/// <param name="IsOwner">The caller owns the video (an admin watching someone else's does not).</param>
/// <param name="Playable">The media can be played now (ready, or playable while still processing).</param>
public sealed record WatchDto(
    Guid Id, string Title, double? DurationSeconds, string Status, string Visibility, bool IsOwner,
    string? ManifestUrl, string? DashUrl, string? HlsUrl, string? PosterUrl, IReadOnlyList<CaptionTrackDto> Captions, bool Playable);
