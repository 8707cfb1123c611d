namespace StreamForge.Core.Data;

public sealed class UploadSession
{
    public Guid Id { get; set; }
    public Guid VideoId { get; set; }
    public Video? Video { get; set; }
    public UploadMode Mode { get; set; } = UploadMode.Single;
    /// <summary>The S3 multipart upload id; null for single-PUT uploads.</summary>
    public string? S3UploadId { get; set; }
    public string Key { get; set; } = "";
    /// <summary>The declared size; for an import, the bytes received (and reserved) so far, growing part by part.</summary>
    public long Size { get; set; }
    /// <summary>Where an import fetches the file from; null for uploads.</summary>
    public string? SourceUrl { get; set; }
    public long PartSize { get; set; }
    public int PartCount { get; set; }
    public UploadState State { get; set; } = UploadState.Active;
    /// <summary>Sliding: pushed forward by every signing or recording call.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<UploadPart> Parts { get; set; } = [];
}
