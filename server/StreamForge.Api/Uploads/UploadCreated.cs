namespace StreamForge.Api.Uploads;

public sealed record UploadCreated(Guid VideoId, string Mode, long PartSize, int PartCount, string? Url, DateTimeOffset ExpiresAt);
