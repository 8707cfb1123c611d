namespace StreamForge.Api.DirectUploads;

/// <param name="Status">"unused", "used" (see <paramref name="VideoId"/>) or "expired" (never used in time).</param>
public sealed record DirectUploadDto(
    Guid Id, string? Title, int? MaxQuality, string? Passthrough, string? AllowedOrigin, DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt, string Status, Guid? VideoId, string? Visibility = null);
