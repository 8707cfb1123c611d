namespace StreamForge.Api.Uploads;

public sealed record UploadStatus(
    Guid VideoId, string State, string Mode, string FileName, long Size, string ContentType,
    long PartSize, int PartCount, IReadOnlyList<UploadedPart> Parts, DateTimeOffset ExpiresAt);
