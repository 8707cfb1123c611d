namespace StreamForge.Core.Videos;

/// <param name="Probe">What ffprobe found in the source; null until the worker has processed it.</param>
/// <param name="Renditions">The published rungs; null until the video is ready.</param>
/// <param name="Visibility">"public", "unlisted" or "private".</param>
/// <param name="PlayableAt">
/// When the video could first be watched while still processing. A processing video with a manifest URL is playable
/// from media that is still growing (its manifest.json says "complete": false).
/// </param>
public sealed record VideoDto(
    Guid Id, Guid OwnerId, string? OwnerEmail, string Title, string FileName, string Status, int Progress, long SizeBytes,
    int? MaxQuality, double? DurationSeconds, int? Width, int? Height, string? ManifestUrl, string? PosterUrl,
    string? ThumbnailsVttUrl, int ProcessingAttempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? ReadyAt, DateTimeOffset? PlayableAt, ProbeFacts? Probe, IReadOnlyList<RenditionFacts>? Renditions,
    IReadOnlyList<CaptionTrackDto>? Captions = null, VideoDownloadsDto? Downloads = null, string? QueuedReason = null, string? Passthrough = null,
    string Visibility = "unlisted");
