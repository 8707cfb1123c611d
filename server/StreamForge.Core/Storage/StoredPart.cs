namespace StreamForge.Core.Storage;

/// <summary>One part storage holds for an open multipart upload, as storage lists it.</summary>
public sealed record StoredPart(int PartNumber, string ETag, long Size);
