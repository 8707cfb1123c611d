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
