namespace StreamForge.Core.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>S3 endpoint, e.g. http://127.0.0.1:4569 for a local server; empty for AWS.</summary>
    public string ServiceUrl { get; set; } = "";
    public string Bucket { get; set; } = "streamforge";
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    /// <summary>
    /// Key pair that signs the browsers' presigned uploads; storage should let it only PutObject (which covers
    /// UploadPart) under raw/*. A URL carries its signer's powers for its lifetime, so the main keys, which can
    /// read, copy and delete everything, never sign one. Unset: the main keys sign, with a warning at start.
    /// </summary>
    public string UploadAccessKey { get; set; } = "";
    public string UploadSecretKey { get; set; } = "";
    public bool HasUploadKeys => UploadAccessKey.Length > 0 && UploadSecretKey.Length > 0;
    public string Region { get; set; } = "us-east-1";
    /// <summary>Local servers and MinIO address buckets by path, not by host name.</summary>
    public bool ForcePathStyle { get; set; } = true;
    /// <summary>Anonymous base URL of the bucket (objects under media/ are public-read).</summary>
    public string PublicBaseUrl { get; set; } = "";
    /// <summary>Parallel object uploads when publishing a video's outputs.</summary>
    public int UploadConcurrency { get; set; } = 8;
    /// <summary>Objects above this size are downloaded as ranges of this size, several at once.</summary>
    public long DownloadChunkBytes { get; set; } = 16L << 20;
    /// <summary>Ranges of one download in flight at once (1 = one GET for the whole object).</summary>
    public int DownloadConcurrency { get; set; } = 4;
}
