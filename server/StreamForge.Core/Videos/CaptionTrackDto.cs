using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Media;

namespace StreamForge.Core.Videos;

/// <param name="Url">Absolute URL of the WebVTT file; null while the video has no published media.</param>
public sealed record CaptionTrackDto(string Lang, string Label, string? Url, int CueCount, DateTimeOffset UpdatedAt)
{
    public static CaptionTrackDto From(Caption c, Video video, MediaUrls urls) => new(
        c.Lang, c.Label,
        video.MediaVersion >= 1 ? urls.For(video.Id, video.MediaVersion, CaptionPaths.VttKey(c.Lang)) : null,
        c.CueCount, c.UpdatedAt);
}
