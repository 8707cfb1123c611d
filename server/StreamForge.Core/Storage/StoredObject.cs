namespace StreamForge.Core.Storage;

/// <summary>What a HEAD of an object measured: its size and the ETag naming this version of its bytes.</summary>
public sealed record StoredObject(long Size, string ETag);
