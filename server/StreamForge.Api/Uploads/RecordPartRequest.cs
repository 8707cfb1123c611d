namespace StreamForge.Api.Uploads;

public sealed record RecordPartRequest(string? Etag, long? Size);
