namespace StreamForge.Api.Uploads;

public sealed record CreateUploadRequest(string? FileName, long? Size, string? ContentType, string? Title, int? MaxQuality, string? Passthrough = null, string? Visibility = null);
