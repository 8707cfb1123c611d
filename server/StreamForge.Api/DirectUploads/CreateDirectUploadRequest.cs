namespace StreamForge.Api.DirectUploads;

/// <param name="ExpiresInSeconds">How long the link may start its upload (default DirectUploads:DefaultExpiry, at most DirectUploads:MaxExpiry).</param>
/// <param name="AllowedOrigin">The only browser origin (https://partner.example) whose pages may use the token; null = any.</param>
public sealed record CreateDirectUploadRequest(string? Title, int? MaxQuality, string? Passthrough, string? AllowedOrigin, int? ExpiresInSeconds, string? Visibility = null);
