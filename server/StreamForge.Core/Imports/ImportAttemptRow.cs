namespace StreamForge.Core.Imports;

/// <summary>What an import's previous attempt held: the bytes it reserved and its multipart upload.</summary>
internal sealed record ImportAttemptRow(long Size, string? UploadId);
