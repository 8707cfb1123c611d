namespace StreamForge.Core.Videos;

/// <summary>Where the owner gets files: API endpoints (they answer with short-lived links), not the links themselves.</summary>
/// <param name="Original">GET endpoint for the uploaded file; null when it was never completed.</param>
/// <param name="Renditions">POST endpoint per rung of a ready video.</param>
public sealed record VideoDownloadsDto(string? Original, IReadOnlyList<RenditionDownloadDto> Renditions);
