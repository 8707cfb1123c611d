using StreamForge.Core.Data;

namespace StreamForge.Core.Videos;

public sealed class VideoMapper
{
    public VideoDto ToDto(Video v) => new(
        v.Id, v.OwnerId, v.Owner?.Email, v.Title, v.FileName, v.Status.ToWire(), v.Progress, v.SizeBytes, v.MaxQuality,
        v.DurationSeconds, v.Width, v.Height, v.ManifestUrl, v.PosterUrl, v.ThumbnailsVttUrl, v.ProcessingAttempts,
        v.LastError, v.CreatedAt, v.UpdatedAt, v.ReadyAt, v.PlayableAt, MediaFactsJson.ReadProbe(v.ProbeJson),
        v.RenditionsJson is null ? null : MediaFactsJson.ReadRenditions(v.RenditionsJson), QueuedReason: v.QueuedReason, Passthrough: v.Passthrough);

    /// <summary>The single-video view: also its caption tracks and download endpoints.</summary>
    public VideoDto ToDetailDto(Video v, IReadOnlyList<Caption> captions, bool uploadCompleted, Core.Playback.MediaUrls urls) => ToDto(v) with
    {
        Captions = captions.Select(c => CaptionTrackDto.From(c, v, urls)).ToList(),
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
