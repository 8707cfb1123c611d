namespace StreamForge.Core.Storage;

/// <summary>
/// A storage operation failed. The gateway translates its client's exceptions into this, so nothing outside it
/// depends on which S3 client is used.
/// </summary>
public sealed class StorageException(StorageFailure failure, string operation, string? key, string? errorCode, string message, Exception inner)
    : Exception($"Storage error while {operation}{(key is null ? "" : $" {key}")}: {message}", inner)
{
    public StorageFailure Failure { get; } = failure;
    public string? ErrorCode { get; } = errorCode;
}
