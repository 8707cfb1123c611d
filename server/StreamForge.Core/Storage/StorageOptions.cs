namespace StreamForge.Core.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>S3 endpoint, e.g. http://127.0.0.1:4569 for a local server; empty for AWS.</summary>
    public string ServiceUrl { get; set; } = "";
    public string Bucket { get; set; } = "streamforge";
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
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
