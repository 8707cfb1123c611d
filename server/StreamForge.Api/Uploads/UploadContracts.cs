namespace StreamForge.Api.Uploads;

public sealed record CreateUploadRequest(string? FileName, long? Size, string? ContentType, string? Title, int? MaxQuality);
public sealed record UploadCreated(Guid VideoId, string Mode, long PartSize, int PartCount, string? Url, DateTimeOffset ExpiresAt);
public sealed record SignPartsRequest(int[]? PartNumbers);
public sealed record SignedPart(int PartNumber, string Url, DateTimeOffset ExpiresAt);
public sealed record RecordPartRequest(string? Etag, long? Size);
public sealed record UploadedPart(int PartNumber, string Etag, long Size);
public sealed record UploadStatus(
    Guid VideoId, string State, string Mode, string FileName, long Size, string ContentType,
    long PartSize, int PartCount, IReadOnlyList<UploadedPart> Parts, DateTimeOffset ExpiresAt);
