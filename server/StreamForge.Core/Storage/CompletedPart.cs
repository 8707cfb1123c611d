namespace StreamForge.Core.Storage;

public sealed record CompletedPart(int PartNumber, string ETag);
