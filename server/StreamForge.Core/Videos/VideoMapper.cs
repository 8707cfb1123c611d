using StreamForge.Core.Data;
using StreamForge.Core.Playback;

namespace StreamForge.Core.Videos;

/// <summary>
/// The owner's (and admin's) view of a video. Media URLs of private media are signed for the current request's caller
/// (<see cref="IMediaAccessContext"/>); without one (the worker's webhook payloads) they are left out, never unsigned.
/// </summary>
public sealed class VideoMapper(MediaUrls urls, IMediaAccessContext? context = null)
{
    public MediaAccess? CurrentAccess => context?.Current;

    public VideoDto ToDto(Video v)
    {
        var access = CurrentAccess;
        return new(
            v.Id, v.OwnerId, v.Owner?.Email, v.Title, v.FileName, v.Status.ToWire(), v.Progress, v.SizeBytes, v.MaxQuality,
            v.DurationSeconds, v.Width, v.Height, urls.Rewrite(v, v.ManifestUrl, access), urls.Rewrite(v, v.PosterUrl, access),
            urls.Rewrite(v, v.ThumbnailsVttUrl, access), v.ProcessingAttempts,
            v.LastError, v.CreatedAt, v.UpdatedAt, v.ReadyAt, v.PlayableAt, MediaFactsJson.ReadProbe(v.ProbeJson),
            v.RenditionsJson is null ? null : MediaFactsJson.ReadRenditions(v.RenditionsJson), QueuedReason: v.QueuedReason, Passthrough: v.Passthrough,
            Visibility: v.Visibility.ToWire());
    }

    /// <summary>The single-video view: also its caption tracks and download endpoints.</summary>
    public VideoDto ToDetailDto(Video v, IReadOnlyList<Caption> captions, bool uploadCompleted) => ToDto(v) with
    {
        Captions = captions.Select(c => CaptionTrackDto.From(c, v, urls, CurrentAccess)).ToList(),
        Downloads = new VideoDownloadsDto(
            uploadCompleted ? $"/api/v1/videos/{v.Id}/downloads/original" : null,
            v.Status == VideoStatus.Ready ? Rungs(v) : []),
    };

    private static List<RenditionDownloadDto> Rungs(Video v)
    {
        return MediaFactsJson.ReadRenditions(v.RenditionsJson).Select(r => new RenditionDownloadDto(
            r.Id, r.Width, r.Height, r.Bandwidth, r.Codecs, $"/api/v1/videos/{v.Id}/downloads/{r.Id}")).ToList();
    }
}
