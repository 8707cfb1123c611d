namespace StreamForge.Api.Uploads;

public sealed record UploadedPart(int PartNumber, string Etag, long Size);
