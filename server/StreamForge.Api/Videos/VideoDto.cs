using System.Text.Json;
using StreamForge.Api.Captions;
using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

/// <param name="PlayableAt">
/// When the video could first be watched while still processing. A processing video with a manifest URL is playable
/// from media that is still growing (its manifest.json says "complete": false).
/// </param>
public sealed record VideoDto(
    Guid Id, Guid OwnerId, string? OwnerEmail, string Title, string FileName, string Status, int Progress, long SizeBytes,
    int? MaxQuality, double? DurationSeconds, int? Width, int? Height, string? ManifestUrl, string? PosterUrl,
    string? ThumbnailsVttUrl, int ProcessingAttempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? ReadyAt, DateTimeOffset? PlayableAt, JsonElement? Probe, JsonElement? Renditions,
    IReadOnlyList<CaptionTrackDto>? Captions = null, VideoDownloadsDto? Downloads = null, string? QueuedReason = null);

/// <summary>Where the owner gets files: API endpoints (they answer with short-lived links), not the links themselves.</summary>
/// <param name="Original">GET endpoint for the uploaded file; null when it was never completed.</param>
/// <param name="Renditions">POST endpoint per rung of a ready video.</param>
public sealed record VideoDownloadsDto(string? Original, IReadOnlyList<RenditionDownloadDto> Renditions);

/// <param name="Bandwidth">The rung's video bitrate in bits per second, as the manifest declares it.</param>
public sealed record RenditionDownloadDto(string Id, int Width, int Height, long Bandwidth, string Codecs, string Endpoint);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed class VideoMapper
{
    public VideoDto ToDto(Video v) => new(
        v.Id, v.OwnerId, v.Owner?.Email, v.Title, v.FileName, v.Status.ToWire(), v.Progress, v.SizeBytes, v.MaxQuality,
        v.DurationSeconds, v.Width, v.Height, v.ManifestUrl, v.PosterUrl, v.ThumbnailsVttUrl, v.ProcessingAttempts,
        v.LastError, v.CreatedAt, v.UpdatedAt, v.ReadyAt, v.PlayableAt, Parse(v.ProbeJson), Parse(v.RenditionsJson), QueuedReason: v.QueuedReason);

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

    private static JsonElement? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonDocument.Parse(json).RootElement.Clone();
}
