namespace StreamForge.Core.Storage;

public enum StorageFailure
{
    /// <summary>The bucket does not exist.</summary>
    BucketMissing,
    /// <summary>The object does not exist.</summary>
    NotFound,
    /// <summary>Storage refused the credentials or the request's permissions.</summary>
    AccessDenied,
    /// <summary>Storage could not be reached, or answered with a server error: worth retrying.</summary>
    Unavailable,
    /// <summary>Any other refusal.</summary>
    Refused,
}

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
