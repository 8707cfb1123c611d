using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Media;

namespace StreamForge.Core.Videos;

/// <param name="Url">Absolute URL of the WebVTT file; null while the video has no published media.</param>
public sealed record CaptionTrackDto(string Lang, string Label, string? Url, int CueCount, DateTimeOffset UpdatedAt)
{
    /// <param name="access">Who the URL of private media is signed for; without it a private video's track has no URL.</param>
    public static CaptionTrackDto From(Caption c, Video video, MediaUrls urls, MediaAccess? access) => new(
        c.Lang, c.Label,
        urls.Current(video, CaptionPaths.VttKey(c.Lang), access),
        c.CueCount, c.UpdatedAt);
}
