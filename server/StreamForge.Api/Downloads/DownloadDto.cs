namespace StreamForge.Api.Downloads;

/// <param name="Status">"preparing" (ask again shortly) or "ready" (follow <see cref="Url"/>).</param>
/// <param name="Url">Presigned GET that answers with Content-Disposition: attachment; null while preparing.</param>
public sealed record DownloadDto(string Status, string FileName, string? Url, DateTimeOffset? ExpiresAt, long? SizeBytes);
